// The PostgreSQL built-in type OIDs pgfns knows by name, and which array type holds which
// element type. This is the only place in pgfns that spells type OIDs: the values are fixed by
// PostgreSQL's catalog (src/include/catalog/pg_type.dat) and never change between releases.
#pragma once

#include <pgfns/value.hpp>

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <type_traits>
#include <utility>

namespace pgfns::detail {

static_assert(std::is_same_v<oid_t, Oid>, "pgfns::oid_t must be libpq's Oid");

namespace pg_oid {
inline constexpr oid_t boolean = 16;
inline constexpr oid_t bytea = 17;
inline constexpr oid_t char_ = 18;
inline constexpr oid_t name = 19;
inline constexpr oid_t int8 = 20;
inline constexpr oid_t int2 = 21;
inline constexpr oid_t int4 = 23;
inline constexpr oid_t text = 25;
inline constexpr oid_t oid = 26;
inline constexpr oid_t json = 114;
inline constexpr oid_t xml = 142;
inline constexpr oid_t cidr = 650;
inline constexpr oid_t float4 = 700;
inline constexpr oid_t float8 = 701;
inline constexpr oid_t money = 790;
inline constexpr oid_t macaddr = 829;
inline constexpr oid_t inet = 869;
inline constexpr oid_t bpchar = 1042;
inline constexpr oid_t varchar = 1043;
inline constexpr oid_t date = 1082;
inline constexpr oid_t time = 1083;
inline constexpr oid_t timestamp = 1114;
inline constexpr oid_t timestamptz = 1184;
inline constexpr oid_t interval = 1186;
inline constexpr oid_t timetz = 1266;
inline constexpr oid_t bit = 1560;
inline constexpr oid_t varbit = 1562;
inline constexpr oid_t numeric = 1700;
inline constexpr oid_t record = 2249;
inline constexpr oid_t uuid = 2950;
inline constexpr oid_t jsonb = 3802;
}  // namespace pg_oid

struct pg_type_info {
  oid_t oid;
  std::string_view name;  // as `format_type` prints it
  oid_t array_oid;        // the type of `name[]`
};

// Every type above with its array type. Adding a row is all it takes to decode and encode
// arrays of a new element type.
inline constexpr std::array<pg_type_info, 31> pg_types{{
    {pg_oid::boolean, "boolean", 1000},
    {pg_oid::bytea, "bytea", 1001},
    {pg_oid::char_, "\"char\"", 1002},
    {pg_oid::name, "name", 1003},
    {pg_oid::int8, "bigint", 1016},
    {pg_oid::int2, "smallint", 1005},
    {pg_oid::int4, "integer", 1007},
    {pg_oid::text, "text", 1009},
    {pg_oid::oid, "oid", 1028},
    {pg_oid::json, "json", 199},
    {pg_oid::xml, "xml", 143},
    {pg_oid::cidr, "cidr", 651},
    {pg_oid::float4, "real", 1021},
    {pg_oid::float8, "double precision", 1022},
    {pg_oid::money, "money", 791},
    {pg_oid::macaddr, "macaddr", 1040},
    {pg_oid::inet, "inet", 1041},
    {pg_oid::bpchar, "character", 1014},
    {pg_oid::varchar, "character varying", 1015},
    {pg_oid::date, "date", 1182},
    {pg_oid::time, "time without time zone", 1183},
    {pg_oid::timestamp, "timestamp without time zone", 1115},
    {pg_oid::timestamptz, "timestamp with time zone", 1185},
    {pg_oid::interval, "interval", 1187},
    {pg_oid::timetz, "time with time zone", 1270},
    {pg_oid::bit, "bit", 1561},
    {pg_oid::varbit, "bit varying", 1563},
    {pg_oid::numeric, "numeric", 1231},
    {pg_oid::record, "record", 2287},
    {pg_oid::uuid, "uuid", 2951},
    {pg_oid::jsonb, "jsonb", 3807},
}};

// (array type, element type) of every row above, sorted by array type: every result column is
// looked up here, so a binary search instead of a scan of the whole table.
inline constexpr auto pg_arrays_by_oid = [] {
  std::array<std::pair<oid_t, oid_t>, pg_types.size()> a{};
  for (std::size_t i = 0; i < pg_types.size(); ++i) a[i] = {pg_types[i].array_oid, pg_types[i].oid};
  std::sort(a.begin(), a.end());
  return a;
}();

static_assert(std::adjacent_find(pg_arrays_by_oid.begin(), pg_arrays_by_oid.end(),
                                 [](auto& a, auto& b) { return a.first == b.first; }) ==
                  pg_arrays_by_oid.end(),
              "two rows of pg_types name the same array type");

// The element type of the array type `array_type`, or 0 when `array_type` is not one of the
// array types above.
constexpr oid_t array_element(oid_t array_type) noexcept {
  const auto it = std::lower_bound(pg_arrays_by_oid.begin(), pg_arrays_by_oid.end(),
                                   std::pair<oid_t, oid_t>(array_type, 0));
  return it != pg_arrays_by_oid.end() && it->first == array_type ? it->second : 0;
}

// The name of a type above (for messages), or "" when pgfns does not know it.
constexpr std::string_view type_name(oid_t type) noexcept {
  for (const auto& t : pg_types)
    if (t.oid == type) return t.name;
  return {};
}

// PostgreSQL's MAXDIM: no array has more dimensions.
inline constexpr int max_array_dims = 6;

constexpr bool is_json_type(oid_t type) noexcept {
  return type == pg_oid::json || type == pg_oid::jsonb;
}

}  // namespace pgfns::detail

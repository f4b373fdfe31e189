// Fuzzes encode_param (and param_buffer) with every JSON value the input parses to, for every
// parameter type. encode_param must throw nothing but std::invalid_argument, and that only for
// a string holding a NUL byte or an array of more than 6 dimensions; otherwise it appends (never
// touching what `out` held) a text without NUL bytes, nothing for null. Where pgfns/value.hpp
// promises it, decoding what was encoded gives the value back: integers as bigint, doubles as
// double precision, strings as text, any value as json/jsonb, arrays of those as arrays (up to
// PostgreSQL's 6 dimensions).
#include "fuzz_support.hpp"
#include "json_shape.hpp"
#include "pg_type_list.hpp"

#include <pgfns/value.hpp>

#include "values/param_buffer.hpp"
#include "values/pg_types.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace json = boost::json;
namespace oid = pgfns::detail::pg_oid;
using pgfns::fuzz::finding;
using pgfns::fuzz::require;

namespace {

bool has_nul(const json::string& s) {
  return std::memchr(s.data(), '\0', s.size()) != nullptr;
}

// True when every leaf below nested arrays satisfies `leaf` and there are at most `dims`
// levels of arrays (v itself is the first).
bool array_of(const json::value& v, const std::function<bool(const json::value&)>& leaf,
              int dims = 6) {
  if (!v.is_array()) return leaf(v);
  if (dims == 0) return false;
  for (const auto& e : v.get_array())
    if (!array_of(e, leaf, dims - 1)) return false;
  return true;
}

// What encode_param refuses: a NUL byte in a string it passes through as it is (a string
// parameter of a non-JSON type, a string element of an array literal of a non-JSON element
// type), and an array literal of more than PostgreSQL's 6 dimensions.
bool refused(const json::value& v, pgfns::oid_t type) {
  using pgfns::detail::array_element;
  using pgfns::detail::is_json_type;
  if (v.is_string()) return !is_json_type(type) && has_nul(v.get_string());
  if (!v.is_array() || array_element(type) == 0) return false;
  if (pgfns::fuzz::array_depth(v) > pgfns::detail::max_array_dims) return true;
  if (is_json_type(array_element(type))) return false;
  return !array_of(v,
                   [](const json::value& e) { return !e.is_string() || !has_nul(e.get_string()); });
}

// Equality with numbers compared by value: JSON does not tell 1 from 1.0, and Boost.JSON's
// parser may read a double back one unit in the last place off (pgfns/value.hpp).
bool same(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    if (!a.is_double() && !b.is_double()) return a == b;
    const double x = a.to_number<double>(), y = b.to_number<double>();
    return x == y || std::nextafter(x, y) == y || std::nextafter(std::nextafter(x, y), y) == y;
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!same(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& e : x) {
      const json::value* other = y.if_contains(e.key());
      if (!other || !same(e.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

bool is_finite_double(const json::value& v) {
  return v.is_double() && std::isfinite(v.get_double());
}

bool is_plain(const json::value& v) {
  return !v.is_array();
}

// The type decode_text reads `encoded` back as when the mapping promises that v survives the
// round trip encode -> server -> decode for a parameter of type `type`; nullopt otherwise.
std::optional<pgfns::oid_t> round_trip_type(const json::value& v, pgfns::oid_t type) {
  if (v.is_null()) return std::nullopt;
  // NaN and infinities become JSON text the server refuses (pgfns/value.hpp).
  if (!pgfns::fuzz::all_finite(v)) return std::nullopt;
  if (pgfns::detail::is_json_type(type)) return oid::json;
  if (type == oid::int8 && v.is_int64()) return oid::int8;
  if (type == oid::float8 && is_finite_double(v)) return oid::float8;
  if ((type == oid::text || type == oid::varchar) && v.is_string()) return oid::text;
  if (!v.is_array()) return std::nullopt;
  const auto null_or = [](bool (*leaf)(const json::value&)) {
    return [leaf](const json::value& e) { return e.is_null() || leaf(e); };
  };
  if ((type == 1009 || type == 1015) &&
      array_of(v, null_or([](const json::value& e) { return e.is_string(); })))
    return 1009;
  if (type == 1016 && array_of(v, null_or([](const json::value& e) { return e.is_int64(); })))
    return 1016;
  if (type == 1022 && array_of(v, null_or(is_finite_double))) return 1022;
  if ((type == 199 || type == 3807) && array_of(v, is_plain)) return 199;
  return std::nullopt;
}

void check_round_trip(const json::value& v, pgfns::oid_t type, const std::string& encoded) {
  const auto back_as = round_trip_type(v, type);
  if (!back_as) return;
  const json::value back = pgfns::decode_text(*back_as, encoded);
  const bool exact = *back_as == oid::int8 || *back_as == oid::float8 || *back_as == oid::text;
  const bool ok = exact ? back == v && (!v.is_double() || std::signbit(back.get_double()) ==
                                                              std::signbit(v.get_double()))
                        : same(back, v);
  require(ok, "decode(encode(v)) is not v",
          "type " + std::to_string(type) + ": " + json::serialize(v) + " -> \"" + encoded +
              "\" -> " + json::serialize(back));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  json::error_code ec;
  json::parse_options options;
  options.max_depth = 64;  // deeper than any array PostgreSQL has (6 dimensions)
  const json::value v = json::parse(input, ec, {}, options);
  if (ec) return 0;

  static const std::string prefix = "kept\xff";
  pgfns::detail::param_buffer params;
  std::vector<std::optional<std::string>> expected;  // per parameter added
  for (const pgfns::oid_t type : pgfns::fuzz::fuzzed_types()) {
    const bool refuse = refused(v, type);
    std::string out = prefix;
    bool not_null = false;
    try {
      not_null = pgfns::encode_param(v, type, out);
    } catch (const std::invalid_argument& e) {
      require(refuse, "encode_param refused a value it takes", json::serialize(v));
      bool buffer_refused = false;
      try {
        params.add(v, type);
      } catch (const std::invalid_argument&) {
        buffer_refused = true;
      }
      require(buffer_refused, "param_buffer::add accepted what encode_param refused");
      continue;
    } catch (const std::exception& e) {
      finding("encode_param threw something other than std::invalid_argument", e.what());
    }
    require(!refuse, "encode_param took a value it refuses", json::serialize(v));
    require(out.compare(0, prefix.size(), prefix) == 0, "encode_param changed what out held");
    const std::string encoded = out.substr(prefix.size());
    require(not_null == !v.is_null(), "encode_param's result disagrees with v being null");
    require(not_null || encoded.empty(), "encode_param appended text for null");
    require(encoded.find('\0') == std::string::npos,
            "encode_param produced a NUL byte (the parameter would be cut short)",
            json::serialize(v));
    check_round_trip(v, type, encoded);
    params.add(v, type);
    expected.push_back(not_null ? std::optional(encoded) : std::nullopt);
  }

  require(params.size() == static_cast<int>(expected.size()), "param_buffer lost parameters");
  const char* const* values = params.values();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    require((values[i] == nullptr) == !expected[i], "param_buffer mixed up NULL parameters");
    if (expected[i])
      require(*expected[i] == values[i], "param_buffer holds another text than encode_param");
  }
  return 0;
}

// SQL types as `args` and `returns` write them, mapped to the C++ types of typed bindings
// (pgfns/types.hpp has the table), and the shapes a method's `returns` can take.
#pragma once

#include "schema/signature_lexer.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

// The enum types migration scripts create: name -> labels in their order. Names are keyed as
// PostgreSQL resolves them: unquoted parts folded to lowercase, quoted ones as written, a
// `public.` schema dropped ("task_priority", "Mood", "audit.level").
using enum_types = std::map<std::string, std::vector<std::string>, std::less<>>;

// The key of the type name in tokens [b, e) (`name` or `schema.name`, quoted or not), or ""
// when they are not such a name.
std::string type_name_key(const std::vector<token>& t, std::size_t b, std::size_t e);

struct mapped_type {
  std::string cpp;       // "std::int32_t", "pgfns::uuid", ...; for an enum, its key in enum_types
  bool is_enum = false;  // `cpp` is then an enum_types key
  bool array = false;    // a one-dimensional array: std::vector of it
};

// Maps an SQL type (any case, with or without modifiers such as varchar(20), numeric(10,2),
// timestamp(3) with time zone, quoted or pg_catalog-qualified names, `T[]` or `T array`).
// Throws std::invalid_argument with the reason for a type that has no mapping: "has no C++
// mapping (...)", a multi-dimensional array, a %TYPE reference.
mapped_type map_sql_type(std::string_view type, const enum_types& enums);

struct sql_column {
  std::string name;  // as PostgreSQL names it (unquoted names folded)
  std::string type;
};

enum class return_kind { none, scalar, set, table };

struct return_shape {
  return_kind kind = return_kind::none;
  std::string type;                 // scalar and set: the SQL type of the value
  std::vector<sql_column> columns;  // table
};

// `void`, `T`, `setof T` or `table (name type, ...)`; throws std::invalid_argument with the
// reason for anything else (an unnamed column, an unreadable column list).
return_shape parse_returns(std::string_view returns);

}  // namespace pgfns::detail

// SQLSTATE names: the codes Taskcluster's lib-postgres exports (UNIQUE_VIOLATION, ...), here in
// PostgreSQL's own condition names (lower case, as in the "PostgreSQL Error Codes" appendix).
//
//   if (r.diag.sqlstate == pgfns::sqlstate::unique_violation) { ... }
//   if (ec == pgfns::make_sqlstate_error(pgfns::sqlstate::unique_violation)) { ... }
//
// To turn chosen SQLSTATEs of a call into an empty result: pgfns/ignore_sqlstates.hpp.
#pragma once

#include <string_view>

namespace pgfns::sqlstate {

inline constexpr std::string_view duplicate_object = "42710";
inline constexpr std::string_view duplicate_table = "42P07";
inline constexpr std::string_view numeric_value_out_of_range = "22003";
inline constexpr std::string_view query_canceled = "57014";
inline constexpr std::string_view read_only_sql_transaction = "25006";
inline constexpr std::string_view undefined_column = "42703";
inline constexpr std::string_view undefined_object = "42704";
inline constexpr std::string_view undefined_table = "42P01";
inline constexpr std::string_view undefined_function = "42883";
inline constexpr std::string_view unique_violation = "23505";
inline constexpr std::string_view check_violation = "23514";
inline constexpr std::string_view syntax_error = "42601";
inline constexpr std::string_view foreign_key_violation = "23503";

}  // namespace pgfns::sqlstate

// What a server error means for the connection and the call. Pure functions of the SQLSTATE
// (and message), unit-tested without a server.
#pragma once

#include <string_view>

namespace pgfns::detail {

// Class 08 (connection exception) and 57P01/57P02/57P03 (admin shutdown, crash shutdown,
// cannot connect now): the connection is gone or going.
constexpr bool breaks_connection(std::string_view sqlstate) noexcept {
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

// 25006 (read-only transaction) on a write connection: the server is no longer a primary.
constexpr bool demoted_primary(std::string_view sqlstate) noexcept {
  return sqlstate == "25006";
}

// The connection's prepared statement no longer fits: 26000 (it does not exist), or 0A000
// "cached plan must not change result type". Prepared again, the call may be retried: it was
// refused before it ran.
constexpr bool stale_statement(std::string_view sqlstate, std::string_view message) noexcept {
  return sqlstate == "26000" ||
         (sqlstate == "0A000" && message.starts_with("cached plan must not change result type"));
}

// 57014 from a cancel request (not a statement timeout).
constexpr bool cancelled_by_request(std::string_view sqlstate, std::string_view message) noexcept {
  return sqlstate == "57014" && message.find("user request") != std::string_view::npos;
}

}  // namespace pgfns::detail

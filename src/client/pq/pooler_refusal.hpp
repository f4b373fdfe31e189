// What a transaction pooler says when it gives up on a client before any server saw its
// queries. A pure function, unit-tested without a server (test/unit/client/failure_kind_test).
#pragma once

#include <string_view>

namespace pgfns::detail {

// A transaction pooler's refusal to find a server connection for a client that holds none
// (pgbouncer 1.18: its logins to the server fail, or the client waited query_wait_timeout):
// the pooler sent nothing of that client's waiting queries to a server, and closes the client.
constexpr bool refused_by_pooler(std::string_view sqlstate, std::string_view message) noexcept {
  return sqlstate == "08P01" &&
         (message == "query_wait_timeout" || message.starts_with("server login has been failing"));
}

}  // namespace pgfns::detail

// How long the administrative calls (upgrade.hpp, access_check.hpp) wait for the server.
#pragma once

#include <chrono>

namespace pgfns {

struct admin_timeouts {
  // Connecting, authentication included. A `connect_timeout` in the admin URL wins (whole
  // seconds, as libpq reads it; 0 or less: no bound). 0: no bound.
  std::chrono::milliseconds connect{10000};
  // The longest wait for the server's answer to any one statement. When it passes, a cancel
  // is sent (waited for at most 2 s: a frozen server never answers it), the connection is
  // closed, which makes the server roll back the open transaction, and the call throws
  // upgrade_error naming the step. When that statement was COMMIT, whether it committed is
  // unknown and the message says so. 0: no bound.
  std::chrono::milliseconds answer{60000};
};

}  // namespace pgfns

// How long a pool waits before reconnecting after consecutive failed attempts: nothing after
// a connection was lost, then 100 ms doubling up to 5 s.
#pragma once

#include <algorithm>
#include <chrono>

namespace pgfns::detail {

constexpr std::chrono::milliseconds reconnect_delay(unsigned consecutive_failures) noexcept {
  if (consecutive_failures == 0) return std::chrono::milliseconds(0);
  const unsigned shift = std::min(consecutive_failures - 1, 10u);
  return std::min(std::chrono::milliseconds(100 << shift), std::chrono::milliseconds(5000));
}

}  // namespace pgfns::detail

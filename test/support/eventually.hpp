// Polling for a condition that another process (a standby, a restarted server) makes true.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <thread>

namespace pgfns::test {

// Polls `done` every 20 ms for up to `limit`; a check that throws (a query to a server that is
// still starting) counts as not done yet. Returns whether it became true.
inline bool eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    try {
      if (done()) return true;
    } catch (const std::exception&) {
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace pgfns::test

// Runs an io_context until a condition holds (or a time limit passes), for tests that drive
// asynchronous operations by hand.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>

namespace pgfns::test {

// Returns whether `done()` became true within `limit`.
template <class Pred>
bool run_until(boost::asio::io_context& ioc, Pred done,
               std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  ioc.restart();
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    ioc.run_one_for(std::chrono::milliseconds(10));
    if (ioc.stopped()) ioc.restart();
  }
  return true;
}

}  // namespace pgfns::test

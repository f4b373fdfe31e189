// How a call started with a callback ended, for tests that keep calls in flight while they
// act: `d.call("m", args..., o.handler())`, then `co_await wait_for(o)` or a check of `o.ec`.
#pragma once

#include <pgfns/error.hpp>
#include <pgfns/result.hpp>

#include "core_db.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>

namespace pgfns::test {

template <class Result = pgfns::result>
struct call_outcome {
  std::optional<boost::system::error_code> ec;  // set when the call completed
  Result r;
  // The callback; this outcome must outlive the call.
  auto handler() {
    return [this](boost::system::error_code e, Result res) {
      ec = e;
      r = std::move(res);
    };
  }
  // What it ended with, for a test's message.
  std::string text() const { return ec ? pgfns::format_error(*ec, r.diag) : "not completed"; }
};

// Waits (without blocking the executor) until `o` completed.
template <class Result>
boost::asio::awaitable<void> wait_for(const call_outcome<Result>& o) {
  while (!o.ec) co_await sleep_for(std::chrono::milliseconds(5));
}

}  // namespace pgfns::test

// Whether a completion handler runs on the database's own executor. Such a handler may be run
// straight from pgfns's handlers on that executor; any other is posted with its executor bound.
// A call decides it once, at initiation, while the handler's type is known: asking a handler
// type-erased in an any_completion_handler builds two any_completion_executor objects (two
// allocations).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/io_context.hpp>

#include <type_traits>

namespace pgfns::detail {

// True when `ex` is known to be `io` (directly, or type-erased around it).
template <class Executor>
bool is_io_executor(const Executor& ex, const boost::asio::any_io_executor& io) noexcept {
  using context_executor = boost::asio::io_context::executor_type;
  if constexpr (std::is_same_v<Executor, boost::asio::any_io_executor>) {
    return ex == io;
  } else if constexpr (requires { ex.template target<context_executor>(); }) {
    // Type-erased executors (any_completion_executor) hold the innermost executor.
    if (const auto* inner = ex.template target<boost::asio::any_io_executor>()) return *inner == io;
    const auto* target = ex.template target<context_executor>();
    const auto* io_target = io.target<context_executor>();
    return target && io_target && *target == *io_target;
  } else {
    return false;
  }
}

// True when `handler`'s associated executor is `io` (or it has none: it runs on `io`).
template <class Handler>
bool runs_on(const Handler& handler, const boost::asio::any_io_executor& io) noexcept {
  return is_io_executor(boost::asio::get_associated_executor(handler, io), io);
}

}  // namespace pgfns::detail

// Boost 1.80 and 1.81 cannot co_await a deferred operation whose completion is
// void(std::exception_ptr, T): Asio's awaitable_async_op_handler::resume dereferences its result
// struct instead of the exception_ptr in it, which does not compile (chriskohlhoff/asio#1190).
// with_diagnostics(asio::deferred) makes exactly such operations, so the member is given a
// correct definition here for pgfns's two completions, in coroutines of the default executor
// (asio::awaitable<T>).
#pragma once

#include <pgfns/error.hpp>
#include <pgfns/result.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/version.hpp>

#include <exception>
#include <utility>

#if BOOST_VERSION >= 108000 && BOOST_VERSION < 108200

namespace boost::asio::detail {

template <>
inline pgfns::result awaitable_async_op_handler<void(std::exception_ptr, pgfns::result),
                                                any_io_executor>::resume(result_type& result) {
  if (*result.ex_) std::rethrow_exception(std::exchange(*result.ex_, nullptr));
  return std::move(*result.value_);
}

template <>
inline pgfns::diagnostics awaitable_async_op_handler<void(std::exception_ptr, pgfns::diagnostics),
                                                     any_io_executor>::resume(result_type& result) {
  if (*result.ex_) std::rethrow_exception(std::exchange(*result.ex_, nullptr));
  return std::move(*result.value_);
}

}  // namespace boost::asio::detail

#endif

// Boost 1.80 and 1.81 cannot co_await a deferred operation whose completion is
// void(std::exception_ptr, T): Asio's awaitable_async_op_handler::resume dereferences its result
// struct instead of the exception_ptr in it, which does not compile (chriskohlhoff/asio#1190).
// with_diagnostics(asio::deferred) makes exactly such operations, so the member is given a
// correct definition here for pgfns's completions, in coroutines of the default executor
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

// Typed calls complete with void(std::exception_ptr, pgfns::typed_result<T>) for every T: the
// whole handler is specialised, as a member of a partial specialisation cannot be.
template <typename T>
class awaitable_async_op_handler<void(std::exception_ptr, pgfns::typed_result<T>), any_io_executor>
    : public awaitable_thread<any_io_executor> {
 public:
  struct result_type {
    std::exception_ptr* ex_;
    pgfns::typed_result<T>* value_;
  };

  awaitable_async_op_handler(awaitable_thread<any_io_executor>* h, result_type& result)
      : awaitable_thread<any_io_executor>(std::move(*h)), result_(result) {}

  void operator()(std::exception_ptr ex, pgfns::typed_result<T> value) {
    result_.ex_ = &ex;
    result_.value_ = &value;
    this->entry_point()->top_of_stack_->attach_thread(this);
    this->entry_point()->top_of_stack_->clear_cancellation_slot();
    this->pump();
  }

  static pgfns::typed_result<T> resume(result_type& result) {
    if (*result.ex_) std::rethrow_exception(std::exchange(*result.ex_, nullptr));
    return std::move(*result.value_);
  }

 private:
  result_type& result_;
};

}  // namespace boost::asio::detail

#endif

// with_diagnostics: a completion token adapter that keeps the server's message, detail, hint and
// SQLSTATE in the exception a failed operation throws.
//
//   pgfns::result r = co_await db.call("get_product", 42, pgfns::with_diagnostics(asio::deferred));
//   // on failure: throws pgfns::error; e.code(), e.diag().message, .detail, .hint, .sqlstate
//
// A pgfns operation completes with void(error_code, result) (async_start: void(error_code,
// diagnostics)). Tokens that turn an error code into an exception (asio::use_awaitable,
// asio::deferred, asio::use_future, and these wrapped in asio::bind_cancellation_slot,
// bind_executor or bind_allocator) throw a boost::system::system_error that carries the code
// only. Wrapped in with_diagnostics, such a token sees the completion void(std::exception_ptr,
// result) instead, where the exception is a pgfns::error (a system_error with the same code, plus
// the diagnostics), or null on success: co_await, future.get() and the like throw pgfns::error.
// Every other token (callbacks, asio::as_tuple, asio::redirect_error, asio::detached, ...) still
// receives the error_code and the result, which holds the diagnostics: with_diagnostics leaves
// it unchanged.
//
// pgfns::database applies with_diagnostics itself to asio::use_awaitable, asio::deferred and
// asio::use_future (and those wrapped in the binders above): `co_await db.call(..., token)` with
// any of them throws pgfns::error. Writing it out is needed only where another library's
// initiating function receives the token and passes it on to pgfns.
//
// Note that with asio::deferred the deferred operation's completion is void(std::exception_ptr,
// result): co_await it, or give it a token that takes that completion. Where the error code is
// wanted without an exception, use asio::as_tuple(asio::deferred) (void(error_code, result)).
// With Boost 1.80 and 1.81, co_await of such a deferred operation compiles only in coroutines of
// the default executor, asio::awaitable<T> (see detail/deferred_exception_fix.hpp).
#pragma once

#include <type_traits>
#include <utility>

namespace pgfns {

template <class Token>
struct with_diagnostics_t {
  Token token;  // the token wrapped
};

template <class Token>
constexpr with_diagnostics_t<std::decay_t<Token>> with_diagnostics(Token&& token) {
  return {std::forward<Token>(token)};
}

}  // namespace pgfns

#include <pgfns/detail/with_diagnostics_impl.hpp>

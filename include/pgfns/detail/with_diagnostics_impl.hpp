// How with_diagnostics works: which tokens throw, the completion they see instead, the handler
// that turns (error_code, result) into (exception_ptr, result), and Asio's customisation points
// (async_result for the token, associator for the handler).
#pragma once

#include <pgfns/error.hpp>
#include <pgfns/result.hpp>
#include <pgfns/with_diagnostics.hpp>

#include <pgfns/detail/deferred_exception_fix.hpp>

#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/error_code.hpp>

#include <exception>
#include <type_traits>
#include <utility>

namespace pgfns::detail {

// Tokens that turn a failed completion into a thrown system_error: with_diagnostics changes
// their completion to one with an exception_ptr. Every other token keeps the error_code.
template <class Token>
struct throws_on_error : std::false_type {};
template <class Executor>
struct throws_on_error<boost::asio::use_awaitable_t<Executor>> : std::true_type {};
template <>
struct throws_on_error<boost::asio::deferred_t> : std::true_type {};
template <class Allocator>
struct throws_on_error<boost::asio::use_future_t<Allocator>> : std::true_type {};
template <class Token, class Slot>
struct throws_on_error<boost::asio::cancellation_slot_binder<Token, Slot>>
    : throws_on_error<Token> {};
template <class Token, class Executor>
struct throws_on_error<boost::asio::executor_binder<Token, Executor>> : throws_on_error<Token> {};
template <class Token, class Allocator>
struct throws_on_error<boost::asio::allocator_binder<Token, Allocator>> : throws_on_error<Token> {};

// The diagnostics a pgfns completion carries next to its error code.
inline const diagnostics& diagnostics_of(const result& r) noexcept {
  return r.diag;
}
inline const diagnostics& diagnostics_of(const diagnostics& d) noexcept {
  return d;
}
template <class T>
const diagnostics& diagnostics_of(const typed_result<T>& r) noexcept {
  return r.diag;
}

template <class Value>
struct is_typed_result : std::false_type {};
template <class T>
struct is_typed_result<typed_result<T>> : std::true_type {};

template <class Value>
constexpr bool carries_diagnostics = std::is_same_v<std::remove_cvref_t<Value>, result> ||
                                     std::is_same_v<std::remove_cvref_t<Value>, diagnostics> ||
                                     is_typed_result<std::remove_cvref_t<Value>>::value;

// void(error_code, V) becomes void(exception_ptr, V); other signatures stay as they are.
template <class Signature>
struct diagnostics_signature {
  using type = Signature;
};
template <class R, class Value>
struct diagnostics_signature<R(boost::system::error_code, Value)> {
  static_assert(carries_diagnostics<Value>,
                "pgfns::with_diagnostics: works only with pgfns operations (their completion is "
                "void(error_code, pgfns::result) or void(error_code, pgfns::diagnostics))");
  using type = R(std::exception_ptr, Value);
};

// The handler given to a pgfns operation in place of the token's own handler.
template <class Handler>
struct diagnostics_handler {
  Handler handler;

  template <class Value>
  void operator()(boost::system::error_code ec, Value&& value) {
    std::exception_ptr e;
    if (ec) e = std::make_exception_ptr(error(ec, diagnostics_of(value)));
    std::move(handler)(std::move(e), std::forward<Value>(value));
  }
};

template <class Initiation>
struct diagnostics_initiation {
  Initiation initiation;

  template <class Handler, class... Args>
  void operator()(Handler&& handler, Args&&... args) && {
    std::move(initiation)(
        diagnostics_handler<std::decay_t<Handler>>{std::forward<Handler>(handler)},
        std::forward<Args>(args)...);
  }
  template <class Handler, class... Args>
  void operator()(Handler&& handler, Args&&... args) const& {
    initiation(diagnostics_handler<std::decay_t<Handler>>{std::forward<Handler>(handler)},
               std::forward<Args>(args)...);
  }
};

}  // namespace pgfns::detail

namespace boost::asio {

// A token that throws: its operation sees the exception_ptr signatures and a handler that makes
// the exception. Any other token: unchanged.
template <class Token, class... Signatures>
struct async_result<pgfns::with_diagnostics_t<Token>, Signatures...>
    : async_result<
          Token, std::conditional_t<pgfns::detail::throws_on_error<Token>::value,
                                    typename pgfns::detail::diagnostics_signature<Signatures>::type,
                                    Signatures>...> {
  template <class RawToken>
  using inner_token =
      std::conditional_t<std::is_const_v<std::remove_reference_t<RawToken>>, const Token, Token>;

  template <class Initiation, class RawToken, class... Args>
  static auto initiate(Initiation&& initiation, RawToken&& token, Args&&... args) {
    if constexpr (pgfns::detail::throws_on_error<Token>::value) {
      return async_initiate<inner_token<RawToken>,
                            typename pgfns::detail::diagnostics_signature<Signatures>::type...>(
          pgfns::detail::diagnostics_initiation<std::decay_t<Initiation>>{
              std::forward<Initiation>(initiation)},
          token.token, std::forward<Args>(args)...);
    } else {
      return async_initiate<inner_token<RawToken>, Signatures...>(
          std::forward<Initiation>(initiation), token.token, std::forward<Args>(args)...);
    }
  }
};

// The handler has the executor, allocator and cancellation slot of the handler it wraps.
template <template <class, class> class Associator, class Handler, class DefaultCandidate>
struct associator<Associator, pgfns::detail::diagnostics_handler<Handler>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate> {
  static typename Associator<Handler, DefaultCandidate>::type get(
      const pgfns::detail::diagnostics_handler<Handler>& h) noexcept {
    return Associator<Handler, DefaultCandidate>::get(h.handler);
  }
  static auto get(const pgfns::detail::diagnostics_handler<Handler>& h,
                  const DefaultCandidate& c) noexcept
      -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler, c)) {
    return Associator<Handler, DefaultCandidate>::get(h.handler, c);
  }
};

}  // namespace boost::asio

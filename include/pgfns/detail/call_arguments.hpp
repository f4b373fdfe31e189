// The arguments of database::call: which of them is the completion token, the check that every
// other one converts to JSON (one static_assert naming the type that does not), and their
// packing into the one JSON value the compiled core takes.
#pragma once

#include <pgfns/result.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace pgfns::detail {

using call_signature = void(boost::system::error_code, result);

template <class T>
concept json_argument = std::is_constructible_v<boost::json::value, T> ||
    boost::json::has_value_from<std::remove_cvref_t<T>>::value;

// A completion token: a callback taking (error_code, result), or a token Asio knows how to
// complete with that signature (asio::deferred, asio::use_awaitable, asio::as_tuple(...), ...).
template <class T>
concept call_token = !json_argument<T> && boost::asio::completion_token_for<T, call_signature>;

// True when the last argument is the completion token. A last argument that is neither a value
// nor a token is taken for a value, so that require_json_argument names it.
template <class... Args>
constexpr bool ends_with_token = [] {
  if constexpr (sizeof...(Args) == 0) {
    return false;
  } else {
    return call_token<std::tuple_element_t<sizeof...(Args) - 1, std::tuple<Args...>>>;
  }
}();

// Instantiated for each argument type; fails, naming T in the compiler's instantiation note,
// for a type Boost.JSON cannot convert. The deduced return types here and in make_call_args make
// the compiler instantiate them at once, so that its notes lead back to the caller's line.
template <class T>
constexpr auto require_json_argument() {
  static_assert(json_argument<T>,
                "pgfns::database::call: argument type T cannot be converted to JSON (give "
                "boost::json a tag_invoke value_from for it, or convert it yourself); a "
                "completion token comes last and takes void(error_code, pgfns::result)");
}

template <class T, class U>
constexpr bool only_is = std::is_same_v<std::remove_cvref_t<T>, U>;

// One boost::json::object: named arguments. One boost::json::array: the argument list.
// Otherwise: one value per argument. With an argument that cannot be converted, the
// static_assert above is the one error: nothing else is instantiated for it.
template <class... Args>
auto make_call_args(Args&&... args) {
  if constexpr (!(json_argument<Args> && ...)) {
    (require_json_argument<Args>(), ...);
    ((void)args, ...);
    return boost::json::value();
  } else if constexpr (sizeof...(Args) == 1 && (only_is<Args, boost::json::object> && ...)) {
    return boost::json::value(std::forward<Args>(args)...);
  } else if constexpr (sizeof...(Args) == 1 && (only_is<Args, boost::json::array> && ...)) {
    return boost::json::value(std::forward<Args>(args)...);
  } else {
    boost::json::array a;
    a.reserve(sizeof...(Args));
    (a.push_back(boost::json::value_from(std::forward<Args>(args))), ...);
    return boost::json::value(std::move(a));
  }
}

}  // namespace pgfns::detail

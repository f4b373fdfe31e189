// ignore_sqlstates: runs a call and turns a server error whose SQLSTATE is one of those given
// into an empty result (Taskcluster's `ignorePgErrors(promise, ...codes)`).
//
//   // An item that exists already is no error here; any other failure still throws.
//   pgfns::result r = co_await pgfns::ignore_sqlstates(db.call("add_item", "bolt"),
//                                                      pgfns::sqlstate::unique_violation);
//   if (r.diag.sqlstate == pgfns::sqlstate::unique_violation) { /* it was ignored */ }
//
// `op` is the awaitable a call without a completion token returns (db.call(...), or a typed
// call giving a pgfns::typed_result<T>). When it throws a boost::system::system_error (such as
// pgfns::error) whose code is one of the SQLSTATEs given, the result is a default one (no rows,
// or a default value) whose `diag` holds the error's diagnostics (its `sqlstate` says which
// code was ignored). Any other exception, pgfns's own error codes and cancellation included,
// propagates unchanged. With a completion token such as asio::as_tuple, compare
// `r.diag.sqlstate` with the names of pgfns/sqlstate.hpp instead.
#pragma once

#include <pgfns/error.hpp>
#include <pgfns/sqlstate.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace pgfns {
namespace detail {

template <class T, class Executor>
boost::asio::awaitable<T, Executor> ignore_sqlstates_impl(boost::asio::awaitable<T, Executor> op,
                                                          std::vector<std::string> sqlstates) {
  diagnostics diag;
  try {
    co_return co_await std::move(op);
  } catch (const boost::system::system_error& e) {
    const std::string code = sqlstate_of(e.code());
    if (code.empty() || std::find(sqlstates.begin(), sqlstates.end(), code) == sqlstates.end()) {
      throw;
    }
    if (const auto* with_diag = dynamic_cast<const pgfns::error*>(&e)) {
      diag = with_diag->diag();
    } else {
      diag.sqlstate = code;
      diag.message = e.what();
    }
  }
  T empty{};
  empty.diag = std::move(diag);
  co_return empty;
}

}  // namespace detail

// `sqlstates`: five-character codes, e.g. pgfns::sqlstate::unique_violation or "23505".
template <class T, class Executor, class... Codes>
requires(sizeof...(Codes) > 0 && (std::is_convertible_v<const Codes&, std::string_view> && ...))
    boost::asio::awaitable<T, Executor> ignore_sqlstates(boost::asio::awaitable<T, Executor> op,
                                                         const Codes&... sqlstates) {
  std::vector<std::string> codes;
  (codes.emplace_back(std::string_view(sqlstates)), ...);
  return detail::ignore_sqlstates_impl(std::move(op), std::move(codes));
}

}  // namespace pgfns

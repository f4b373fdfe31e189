// The thin template layer between database's completion-token API and the compiled core: the
// initiations that hand a type-erased handler to non-template functions in src/ (the arguments
// are packed by call_arguments.hpp).
#pragma once

#include <pgfns/call_options.hpp>
#include <pgfns/error.hpp>
#include <pgfns/result.hpp>
#include <pgfns/schema.hpp>
#include <pgfns/with_diagnostics.hpp>

#include <pgfns/detail/call_arguments.hpp>
#include <pgfns/detail/io_executor.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace pgfns::detail {

class database_core;

using start_signature = void(boost::system::error_code, diagnostics);
using call_handler = boost::asio::any_completion_handler<call_signature>;
using start_handler = boost::asio::any_completion_handler<start_signature>;

// Compiled in src/database.cpp.
const resolved_method* find_method(const database_core& core, std::string_view name) noexcept;
// The database's executor (of this shard: see shard_for_call).
const boost::asio::any_io_executor& executor_of(const database_core& core) noexcept;
// The shard that takes a call made now (the database's only core with options.threads = 1).
const std::shared_ptr<database_core>& shard_for_call(
    const std::shared_ptr<database_core>& core) noexcept;
void start_database(const std::shared_ptr<database_core>& core, start_handler handler);
// `args` is an array (positional) or an object (named arguments). `on_io`: the handler runs on
// the database's executor (runs_on, asked before the handler was type-erased).
void start_call(const std::shared_ptr<database_core>& core, const resolved_method* method,
                std::string unknown_name, bool allow_deprecated, call_options options,
                boost::json::value args, call_handler handler, bool on_io);

template <class Token>
auto initiate_call_as_is(const std::shared_ptr<database_core>& core, std::string_view method,
                         bool allow_deprecated, const call_options& options,
                         boost::json::value args, Token&& token) {
  const resolved_method* m = find_method(*core, method);
  return boost::asio::async_initiate<Token, call_signature>(
      [](auto handler, const std::shared_ptr<database_core>& c, const resolved_method* found,
         std::string unknown, bool deprecated, call_options o, boost::json::value a) {
        const auto& shard = shard_for_call(c);
        const bool on_io = runs_on(handler, executor_of(*shard));
        start_call(shard, found, std::move(unknown), deprecated, o, std::move(a),
                   call_handler(std::move(handler)), on_io);
      },
      token, core, m, m ? std::string() : std::string(method), allow_deprecated, options,
      std::move(args));
}

// Tokens that would throw a bare system_error get with_diagnostics, so that they throw
// pgfns::error with the diagnostics (see pgfns/with_diagnostics.hpp).
template <class Token>
auto initiate_call(const std::shared_ptr<database_core>& core, std::string_view method,
                   bool allow_deprecated, const call_options& options, boost::json::value args,
                   Token&& token) {
  if constexpr (throws_on_error<std::decay_t<Token>>::value) {
    return initiate_call(core, method, allow_deprecated, options, std::move(args),
                         with_diagnostics(std::forward<Token>(token)));
  } else {
    return initiate_call_as_is(core, method, allow_deprecated, options, std::move(args),
                               std::forward<Token>(token));
  }
}

template <class Token>
auto initiate_start(const std::shared_ptr<database_core>& core, Token&& token) {
  if constexpr (throws_on_error<std::decay_t<Token>>::value) {
    return initiate_start(core, with_diagnostics(std::forward<Token>(token)));
  } else {
    return boost::asio::async_initiate<Token, start_signature>(
        [](auto handler, std::shared_ptr<database_core> c) {
          start_database(c, start_handler(std::move(handler)));
        },
        token, core);
  }
}

// Without a token: coroutines that throw pgfns::error (with the diagnostics) on failure.
using read_position_signature = void(boost::system::error_code, read_position);
void start_read_position(const std::shared_ptr<database_core>& core,
                         boost::asio::any_completion_handler<read_position_signature> handler);

template <class Token>
auto initiate_read_position(const std::shared_ptr<database_core>& core, Token&& token) {
  return boost::asio::async_initiate<Token, read_position_signature>(
      [](auto handler, std::shared_ptr<database_core> c) {
        start_read_position(
            c, boost::asio::any_completion_handler<read_position_signature>(std::move(handler)));
      },
      token, core);
}

boost::asio::awaitable<read_position> read_position_or_throw(std::shared_ptr<database_core> core);

boost::asio::awaitable<result> call_or_throw(const std::shared_ptr<database_core>& core,
                                             std::string_view method, bool allow_deprecated,
                                             const call_options& options, boost::json::value args);
boost::asio::awaitable<void> start_or_throw(std::shared_ptr<database_core> core);

}  // namespace pgfns::detail

// The database: where a service calls its stored functions.
//
//   pgfns::database db(ioc.get_executor(), options);
//   co_await db.async_start();                      // connect, check the database version
//   pgfns::result r = co_await db.call("get_product", 42);
//   auto [ec, r2] = co_await db.call("get_product", 42, asio::as_tuple(asio::deferred));
//   db.call("place_order", obj, [](boost::system::error_code ec, pgfns::result r) { ... });
//
// Arguments: any values Boost.JSON can represent (boost::json::value_from), one per SQL
// argument; or a single boost::json::object of named arguments ("key_in" => value); or a single
// boost::json::array holding the argument list (built at run time). To pass one object or one
// array as the only positional argument, wrap it: db.call("m", boost::json::array{obj}).
//
// Completion: the signature is void(error_code, result); async_start's is void(error_code,
// diagnostics). What a failure gives depends on the token:
//  - none: call() and async_start() return an asio::awaitable (any_io_executor) that, co_awaited,
//    yields the result (nothing for async_start) and throws pgfns::error on failure;
//  - asio::use_awaitable, asio::deferred (co_awaited), asio::use_future (future::get), and these
//    wrapped in asio::bind_cancellation_slot, bind_executor or bind_allocator: throw pgfns::error
//    too, since the database wraps them in pgfns::with_diagnostics (pgfns/with_diagnostics.hpp).
//    A deferred operation therefore completes with void(std::exception_ptr, result) when given
//    a token of its own;
//  - callbacks, asio::as_tuple(...), asio::redirect_error(...), asio::detached and any other
//    token: the error_code and the result, whose diag holds the diagnostics.
// pgfns::error is a boost::system::system_error (same code) that also carries the diagnostics:
// e.what() and e.diag() show the server's message, SQLSTATE, detail and hint.
//
// Arguments that are not values: the last argument is the completion token when it is one (a
// callable taking (error_code, result), or a token asio::async_result knows). Any other argument
// that boost::json::value_from cannot convert is refused at compile time by one static_assert
// ("pgfns::database::call: argument type T cannot be converted to JSON ..."), whose note names T.
//
// Cancellation: per operation, through the token's cancellation slot (asio::bind_cancellation_slot,
// awaitable operators, parallel_group). Outcomes never lie: a call not yet sent is removed and
// completes with operation_aborted; a read already sent completes at once with operation_aborted
// (its answer is discarded); a write already sent completes with what happened to it: success
// if it committed first, SQLSTATE 57014 if the server stopped it (it did not happen), or
// errc::outcome_unknown if the server did not answer the cancel within options.cancel_grace
// and the connection was closed. The cancel request (PQcancel, from a helper thread) is sent
// only while the call is the one its connection's server runs; a call pipelined behind another
// is cancelled when its turn comes, so the calls beside it are never stopped. Reads sharing a
// sync point (options.reads_per_sync) are answered together, so which of them the server runs
// is not known: a stopped read of the oldest such group is cancelled at once, and a read of the
// group (or the call after it) that the cancel stops instead fails with 57014 and is sent
// again, as the victim of a late cancel always is (when a cancel request of its connection
// had not completed as it was sent; at most 16 times).
//
// Failures: refusals before any SQL (unknown or deprecated method, another service's write
// method, bad argument names or values) and pool troubles are pgfns::errc codes; server errors
// are SQLSTATE codes (make_sqlstate_error) with the server's message, detail and hint in the
// diagnostics. A read whose connection breaks is retried once on another connection; a write
// whose connection breaks completes with errc::outcome_unknown and is never retried. A statement
// the server no longer knows is prepared again and the call retried once. Calls made before
// async_start has succeeded complete with errc::not_started.
//
// Deadlines: options.call_timeout (30 s by default) bounds a call, retries and the wait for a
// connection included. At the deadline a call not yet sent completes with errc::call_timeout
// and never reaches the server; a read already sent completes at once with errc::call_timeout;
// a write already sent is stopped on the server as a cancellation would (above) and completes
// with success, errc::call_timeout (the server stopped it: it did not happen) or
// errc::outcome_unknown (no answer within options.cancel_grace: the connection is closed, since
// a server that stopped answering must not get the next call; the other calls on it fail as on
// a lost connection, with a message naming this call). async_start waits for a server that is
// not up yet only when options.start_retry_for allows it.
//
// Threading. With options.threads = 1 (the default) a database belongs to the executor given
// at construction: its handlers all run there, and its members must be called there too, except
// call(), async_start() and async_read_position(), which may be initiated from any thread (they
// dispatch to the executor), and the destructor, which closes on the executor. On an io_context
// run by several threads, give it a strand, or let the database use the threads:
//  - options.threads = N > 1: N shards, each on a strand of the executor given (an io_context's,
//    run by N threads or more);
//  - database(executors, options): one shard on each executor, as given. One io_context per
//    thread, each run by that thread alone, is the faster way (no strand, no handler passed
//    between threads: bench/README.md).
// Each shard has its share of every pool (the pool sizes split evenly, one connection at least),
// its own statement cache, deadlines, cancel thread and probes (each server gets one probe query
// per shard every probe_interval). A call runs on one shard from start to end: the shard whose
// executor runs the calling code, or else each shard in turn; its handler runs where it would
// with one shard. Read-your-writes holds across shards (a read sees a write another shard
// made). With several shards every member may be called from any thread: stats() and servers()
// add up the counts each shard publishes every 50 ms (so at most that old; final once closed);
// close() closes each shard on its executor (its calls complete there with errc::shut_down);
// the monitor hooks run on the shards' executors, several at once (on_pool_stats reports the
// sums, from the first shard). async_start starts the first shard (the version check), then the
// others; when one of those fails, the database closes and async_start reports which shard
// failed. Nothing the database does blocks an executor.
#pragma once

#include <pgfns/call_options.hpp>
#include <pgfns/database_options.hpp>
#include <pgfns/error.hpp>
#include <pgfns/monitor.hpp>
#include <pgfns/result.hpp>
#include <pgfns/with_diagnostics.hpp>

#include <pgfns/detail/call_initiation.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace pgfns {

namespace detail {
struct database_access;
}

class database {
 public:
  using executor_type = boost::asio::any_io_executor;

  // Throws std::invalid_argument when the options lack a schema or a write URL (the message
  // never shows a password). Connects nothing yet: see async_start.
  database(executor_type ex, database_options options);
  // A database of one shard per executor (options.threads: 1 or executors.size()), such as one
  // io_context per thread, each run by one thread: see "Threading" above. get_executor() is the
  // first. Throws std::invalid_argument for an empty list too.
  database(std::vector<executor_type> executors, database_options options);
  database(database&&) noexcept;
  database& operator=(database&&) noexcept;
  // Closes the database (on its executor; at once when destroyed there): calls still pending
  // complete with errc::shut_down. May run on any thread.
  ~database();

  executor_type get_executor() const noexcept;
  const database_options& options() const noexcept;
  const pgfns::schema& schema() const noexcept;

  // Connects the pools and checks, on the primary, that the database version V is at least
  // the schema's latest version S (errc::database_too_old naming both otherwise); then probes
  // every server and waits (at most options.max_replica_lag) for the standbys to show they are
  // fresh. When a read server cannot be reached and read_fallback is on, the start still
  // succeeds and reads go elsewhere until it is back. When the write server cannot be reached
  // but a standby at version >= S answers, the start succeeds for reads (its diagnostics say
  // so): writes fail at once with errc::server_unavailable until the write server is back.
  template <class Token>
  auto async_start(Token&& token) {
    return detail::initiate_start(core_, std::forward<Token>(token));
  }
  boost::asio::awaitable<void> async_start() { return detail::start_or_throw(core_); }

  // Calls a method. The last argument may be a completion token (see above); every other one
  // must convert to JSON.
  template <class... Args>
  auto call(std::string_view method, Args&&... args) {
    return dispatch_call(method, false, {}, std::forward<Args>(args)...);
  }
  // The same, and also allowed for deprecated methods.
  template <class... Args>
  auto call_deprecated(std::string_view method, Args&&... args) {
    return dispatch_call(method, true, {}, std::forward<Args>(args)...);
  }
  // A call with options of its own: where its read may be served (call_options.hpp).
  template <class... Args>
  auto call_with(const call_options& options, std::string_view method, Args&&... args) {
    return dispatch_call(method, false, options, std::forward<Args>(args)...);
  }

  // Read-your-writes across processes: the primary's position after every write that ended on
  // this database before now. Given to call_options::after (here or in another process, as
  // read_position::to_string()), it makes a read see those writes. Free when the probes already
  // know it; otherwise it waits for the next answer of the primary's probe, asked at once.
  // Fails with errc::server_unavailable while the write server cannot be reached.
  template <class Token>
  auto async_read_position(Token&& token) {
    return detail::initiate_read_position(core_, std::forward<Token>(token));
  }
  boost::asio::awaitable<read_position> async_read_position() {
    return detail::read_position_or_throw(core_);
  }
  // What the routing knows of each server now: the write server first, then the read servers
  // in the order configured (role, database version, lag, whether it serves reads and why not).
  std::vector<server_stats> servers() const;

  // The counts of a pool right now.
  pool_stats stats(pool_role role) const;
  // Closes the pools; pending calls complete with errc::shut_down. Idempotent.
  void close();

 private:
  friend struct detail::database_access;  // typed calls (pgfns/typed_call.hpp)

  template <class... Args>
  auto dispatch_call(std::string_view method, bool deprecated, const call_options& options,
                     Args&&... args) {
    if constexpr (detail::ends_with_token<Args...>) {
      return split_call(method, deprecated, options,
                        std::forward_as_tuple(std::forward<Args>(args)...),
                        std::make_index_sequence<sizeof...(Args) - 1>{});
    } else {
      return detail::call_or_throw(core_, method, deprecated, options,
                                   detail::make_call_args(std::forward<Args>(args)...));
    }
  }

  template <class Tuple, std::size_t... I>
  auto split_call(std::string_view method, bool deprecated, const call_options& options, Tuple&& t,
                  std::index_sequence<I...>) {
    constexpr std::size_t last = std::tuple_size_v<std::remove_reference_t<Tuple>> - 1;
    return detail::initiate_call(
        core_, method, deprecated, options, detail::make_call_args(std::get<I>(std::move(t))...),
        std::forward<std::tuple_element_t<last, std::remove_reference_t<Tuple>>>(
            std::get<last>(t)));
  }

  std::shared_ptr<detail::database_core> core_;
};

}  // namespace pgfns

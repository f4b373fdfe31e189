// What the integration tests of calls share: the schema of test/fixtures/core-db (services
// `shop` and `audit`), a scratch database with it installed, and a way to run a coroutine.
#pragma once

#include <pgfns/database.hpp>
#include <pgfns/schema.hpp>

#include "pg_test.hpp"
#include "upgrade_test.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace pgfns::test {

// Loaded once from $PGFNS_SOURCE_DIR/test/fixtures/core-db.
std::shared_ptr<const pgfns::schema> core_schema();

// A scratch database upgraded (pgfns::upgrade) to schema version `version` (0: latest),
// replicated to the standby; its service users are dropped with it.
class core_database {
 public:
  explicit core_database(std::string_view label, int version = 0);

  const scratch_database& scratch() const noexcept { return db_; }
  // Options for service `service`: both URLs of this database, small pools.
  pgfns::database_options options(std::string service = "shop") const;

 private:
  service_roles roles_;  // before db_: the database (and its grants) goes first
  scratch_database db_;
};

// The token for `auto [ec, r] = co_await db.call(..., as_tuple)`: no exceptions.
inline constexpr auto as_tuple = boost::asio::as_tuple(boost::asio::deferred);

// Waits without blocking the executor.
boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds d);

// Polls `ready` every 5 ms without blocking the executor, for at most `limit`; returns whether
// it became true. Each check runs in one handler of the executor: `ready` may start a call
// when it finds what it waits for, with nothing of the database running in between.
boost::asio::awaitable<bool> wait_until(std::function<bool()> ready,
                                        std::chrono::milliseconds limit);

// Runs a blocking action (a server stop, a restart) on a thread of its own while the calling
// coroutine's executor keeps running, as a service's would while an operator acts; rethrows
// what the action throws.
boost::asio::awaitable<void> meanwhile(std::function<void()> action);

// Runs the coroutine made by `make(ioc)` on a fresh io_context until it ends; rethrows what it
// throws. Fails the test when it takes longer than `limit`.
void run_coroutine(std::function<boost::asio::awaitable<void>(boost::asio::io_context&)> make,
                   std::chrono::seconds limit = std::chrono::seconds(60));

using context_list = std::vector<boost::asio::io_context*>;
using thread_ids = std::vector<std::thread::id>;

// Runs the coroutine made by `make(contexts, ids)` on the first of `count` io_contexts, each
// run by `per_context` threads of its own (ids: theirs, context by context), until it ends and
// every context runs out of work; rethrows what it throws. Fails after `limit`.
void run_on_threads(
    std::size_t count, int per_context,
    const std::function<boost::asio::awaitable<void>(context_list&, thread_ids&)>& make,
    std::chrono::seconds limit = std::chrono::seconds(120));

// Upgrades the database at `admin_url` to `version` (0: latest) of core_schema(), creating the
// service users `<prefix>_shop` and `<prefix>_audit` (the tests connect as the superuser).
void install_core_schema(const std::string& admin_url, const std::string& prefix, int version = 0);

// Starts a database with `options` and runs the coroutine `body(db)` with run_coroutine.
void run_with_database(pgfns::database_options options,
                       std::function<boost::asio::awaitable<void>(pgfns::database&)> body,
                       std::chrono::seconds limit = std::chrono::seconds(60));

}  // namespace pgfns::test

// pooler_mode::transaction through a real pgbouncer in transaction mode (scripts/pg-cluster
// --pgbouncer: 2 server connections per database and user, fewer than the clients): calls of
// several databases share them concurrently, pipelined; read-only and the statement timeout are
// enforced per transaction and do not leak into the next; a failing call ends its own
// transaction only. Without pooler mode, connecting through the pooler fails and says what to
// set. (Cancels and deadlines through pgbouncer: pooler_cancel_test.cpp.)
#include <pgfns/database.hpp>

#include "call_outcome.hpp"
#include "core_db.hpp"
#include "pooled_core_db.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
using pgfns::test::run_coroutine;
using pgfns::test::run_with_database;
using pgfns::test::wait_until;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

namespace {

using outcome = pgfns::test::call_outcome<>;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// One client of a busy service: a write, a read of what it wrote (read-your-writes: on a
// standby that has replayed it, or on the primary), and a read computed by the server.
// Appends what went wrong to `failures`.
awaitable<void> client(pgfns::database& d, std::string name, int n, std::set<std::int64_t>& ids,
                       std::vector<std::string>& failures) {
  auto [add_ec, added] = co_await d.call("add_item", name, as_tuple);
  if (add_ec || added.size() != 1) {
    failures.push_back("add_item " + name + ": " + pgfns::format_error(add_ec, added.diag));
    co_return;
  }
  const std::int64_t id = added[0].at("id").as_int64();
  ids.insert(id);
  auto [get_ec, got] = co_await d.call_with({.read_your_writes = true}, "get_item", id, as_tuple);
  if (get_ec || got.size() != 1 || got[0].at("name") != boost::json::value(name))
    failures.push_back("get_item " + std::to_string(id) + " (" + name +
                       "): " + pgfns::format_error(get_ec, got.diag) + ", " +
                       boost::json::serialize(got.rows));
  auto [sum_ec, sum] = co_await d.call("sum_two", n, 1000, as_tuple);
  if (sum_ec || sum.size() != 1 || sum[0].at("sum_two").as_int64() != n + 1000)
    failures.push_back("sum_two " + std::to_string(n) + ": " +
                       pgfns::format_error(sum_ec, sum.diag) + ", " +
                       boost::json::serialize(sum.rows));
}

// Runs `sneaky_write` (a read method that writes) and `add_item` alternately, 3 times each,
// then 3 of each at once (pipelined on the database's connections): every sneaky write is
// refused by the server (25006: the read pool's transaction is read-only), every honest one
// succeeds (the read-only setting of the transaction before did not stay on the server
// connection).
awaitable<void> reads_stay_read_only(pgfns::database& d) {
  for (int i = 0; i < 3; ++i) {
    auto [sneaky_ec, sneaky] = co_await d.call("sneaky_write", "sneaky", as_tuple);
    BOOST_TEST(sneaky_ec == pgfns::make_sqlstate_error("25006"),
               pgfns::format_error(sneaky_ec, sneaky.diag));
    BOOST_TEST(sneaky.diag.pool == "read");
    auto [add_ec, added] = co_await d.call("add_item", "honest", as_tuple);
    BOOST_TEST(!add_ec, pgfns::format_error(add_ec, added.diag));
  }
  std::vector<outcome> sneaky(3), honest(3);
  for (int i = 0; i < 3; ++i) {
    d.call("sneaky_write", "sneaky", sneaky[i].handler());
    d.call("add_item", "honest", honest[i].handler());
  }
  for (auto& o : sneaky) {
    co_await wait_for(o);
    BOOST_TEST(*o.ec == pgfns::make_sqlstate_error("25006"), o.text());
  }
  for (auto& o : honest) {
    co_await wait_for(o);
    BOOST_TEST(!*o.ec, o.text());
  }
}

struct pooler_mode_fixture : pgfns::test::pooled_core_database {
  // Runs reads_stay_read_only with `o` (one connection per pool), then checks the table.
  void check_reads_stay_read_only(pgfns::database_options o) const {
    o.read_pool_size = 1;
    o.write_pool_size = 1;
    run_with_database(o, reads_stay_read_only);
    BOOST_TEST(count("name = 'sneaky'") == "0");
    BOOST_TEST(count("name = 'honest'") == "6");
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pooler_mode, pooler_mode_fixture)

// 3 databases (as 3 services would have) x 4 connections per pool, pipelining on: up to 12
// client connections in front of each pgbouncer, for its 2 server connections.
BOOST_AUTO_TEST_CASE(concurrent_reads_and_writes_of_several_databases_all_succeed) {
  constexpr int databases = 3;
  constexpr int clients = 30;  // per database, all at once
  std::set<std::int64_t> ids;
  std::vector<std::string> failures;
  std::size_t most_writers = 0;  // write connections of the 3 databases at once
  run_coroutine(
      [&](boost::asio::io_context& ioc) -> awaitable<void> {
        std::vector<std::unique_ptr<pgfns::database>> dbs;
        for (int i = 0; i < databases; ++i) {
          dbs.push_back(std::make_unique<pgfns::database>(ioc.get_executor(), pooled()));
          co_await dbs.back()->async_start();
        }
        int running = 0;
        for (int n = 0; n < clients; ++n) {
          for (int i = 0; i < databases; ++i) {
            ++running;
            boost::asio::co_spawn(
                ioc,
                client(*dbs[i], "db" + std::to_string(i) + "-" + std::to_string(n), n, ids,
                       failures),
                [&](std::exception_ptr e) {
                  if (e) failures.push_back("a client threw");
                  --running;
                });
          }
        }
        const bool done = co_await wait_until(
            [&] {
              std::size_t writers = 0;
              for (const auto& d : dbs) {
                writers += d->stats(pgfns::pool_role::write).total;
              }
              most_writers = std::max(most_writers, writers);
              return running == 0;
            },
            150s);
        BOOST_REQUIRE(done);
        for (const auto& d : dbs) {
          BOOST_TEST(d->stats(pgfns::pool_role::write).total <= 4u);
          BOOST_TEST(d->stats(pgfns::pool_role::read).total <= 4u);
        }
        // Read through the pooler too: every write of every database is counted.
        const pgfns::result counted =
            co_await dbs[0]->call_with({.read_your_writes = true}, "count_items");
        BOOST_TEST(counted[0].at("count_items").as_int64() == databases * clients);
      },
      180s);
  BOOST_TEST(failures.empty(), failures.size() << " failures, the first: "
                                               << (failures.empty() ? "" : failures.front()));
  BOOST_TEST(ids.size() == static_cast<std::size_t>(databases * clients));
  BOOST_TEST(count("true") == std::to_string(databases * clients));
  BOOST_TEST(most_writers > 2u);  // more clients than the primary's pgbouncer has servers
}

BOOST_AUTO_TEST_CASE(a_write_on_a_read_connection_is_refused_and_nothing_leaks) {
  check_reads_stay_read_only(primary_only());
}

// No read URL: reads go to the primary through a read-only pool of their own.
BOOST_AUTO_TEST_CASE(without_a_read_url_reads_are_read_only_on_the_primary) {
  check_reads_stay_read_only(pooled(""));
}

BOOST_AUTO_TEST_CASE(a_statement_timeout_fires_and_does_not_leak) {
  auto timed = primary_only();
  timed.statement_timeout = 300ms;
  auto untimed = primary_only();  // the server's setting: no timeout
  run_coroutine([&](boost::asio::io_context& ioc) -> awaitable<void> {
    pgfns::database a(ioc.get_executor(), timed);
    pgfns::database b(ioc.get_executor(), untimed);
    co_await a.async_start();
    co_await b.async_start();
    // A read and a write at once (two connections of a, so both server connections), twice.
    for (int i = 0; i < 2; ++i) {
      const auto t0 = steady_clock::now();
      outcome read, write;
      a.call("sleep", 5.0, read.handler());
      a.call("slow_add_item", "timed out", 5.0, write.handler());
      co_await wait_for(read);
      co_await wait_for(write);
      BOOST_TEST(*read.ec == pgfns::make_sqlstate_error("57014"), read.text());
      BOOST_TEST(contains(read.r.diag.message, "statement timeout"), read.text());
      BOOST_TEST(*write.ec == pgfns::make_sqlstate_error("57014"), write.text());
      BOOST_TEST((steady_clock::now() - t0 < 4s));  // long before the 5 s sleeps would end
    }
    // b's calls, a read and a write at once, outlive a's timeout on both server connections.
    outcome read, write;
    b.call("sleep", 1.0, read.handler());
    b.call("slow_add_item", "untimed", 1.0, write.handler());
    co_await wait_for(read);
    co_await wait_for(write);
    BOOST_TEST(!*read.ec, read.text());
    BOOST_TEST(!*write.ec, write.text());
    // And a's own timeout still holds after b's transactions.
    auto [ec, r] = co_await a.call("sleep", 5.0, as_tuple);
    BOOST_TEST(ec == pgfns::make_sqlstate_error("57014"), pgfns::format_error(ec, r.diag));
  });
  BOOST_TEST(count("name = 'timed out'") == "0");
  BOOST_TEST(count("name = 'untimed'") == "1");
}

// A call failing on the server ends its own transaction only: the calls pipelined behind it on
// the same connection run as usual.
BOOST_AUTO_TEST_CASE(a_failing_pipelined_call_leaves_the_calls_behind_it_alone) {
  auto o = primary_only();
  o.read_pool_size = 1;
  o.write_pool_size = 1;
  run_with_database(o, [&](pgfns::database& d) -> awaitable<void> {
    std::vector<outcome> reads(6), writes(6);
    for (int i = 0; i < 3; ++i) {
      d.call("fail_with", "P0001", "refused " + std::to_string(i), reads[2 * i].handler());
      d.call("sum_two", i, 1, reads[2 * i + 1].handler());
      d.call("add_item", nullptr, writes[2 * i].handler());  // name is not null: 23502
      d.call("add_item", "kept " + std::to_string(i), writes[2 * i + 1].handler());
    }
    for (int i = 0; i < 6; ++i) {
      co_await wait_for(reads[i]);
      co_await wait_for(writes[i]);
    }
    for (int i = 0; i < 3; ++i) {
      const auto& failed = reads[2 * i];
      BOOST_TEST(*failed.ec == pgfns::make_sqlstate_error("P0001"), failed.text());
      BOOST_TEST(failed.r.diag.message == "refused " + std::to_string(i), failed.text());
      const auto& sum = reads[2 * i + 1];
      BOOST_TEST(!*sum.ec, sum.text());
      if (!*sum.ec) BOOST_TEST(sum.r[0].at("sum_two").as_int64() == i + 1);
      BOOST_TEST(*writes[2 * i].ec == pgfns::make_sqlstate_error("23502"), writes[2 * i].text());
      BOOST_TEST(!*writes[2 * i + 1].ec, writes[2 * i + 1].text());
    }
  });
  BOOST_TEST(count("name like 'kept %'") == "3");
}

// pgbouncer keeps a client's server connection while the client has queries in flight. A
// database whose connections always have calls in flight would hold the pooler's 2 server
// connections for good; in pooler mode its connections pause between batches of calls, so
// another database's calls get their turn.
BOOST_AUTO_TEST_CASE(a_busy_database_does_not_starve_another_of_the_pooler) {
  auto busy_options = primary_only();
  busy_options.read_pool_size = 2;  // as many as the pooler's server connections
  auto other_options = primary_only();
  other_options.call_timeout = 20s;  // the busy database runs until these calls are done, or 60 s
  std::vector<std::string> failures;
  std::size_t busy_calls = 0;
  run_coroutine(
      [&](boost::asio::io_context& ioc) -> awaitable<void> {
        pgfns::database busy(ioc.get_executor(), busy_options);
        pgfns::database other(ioc.get_executor(), other_options);
        co_await busy.async_start();
        co_await other.async_start();
        bool stop = false;
        int running = 0;
        for (int i = 0; i < 8; ++i) {  // 4 callers per connection: never an idle one
          ++running;
          boost::asio::co_spawn(
              ioc,
              [&]() -> awaitable<void> {
                while (!stop) {
                  auto [ec, r] = co_await busy.call("sleep", 0.01, as_tuple);
                  if (ec) failures.push_back("busy: " + pgfns::format_error(ec, r.diag));
                  ++busy_calls;
                }
              },
              [&](std::exception_ptr) { --running; });
        }
        BOOST_REQUIRE(co_await wait_until(
            [&] { return busy.stats(pgfns::pool_role::read).total == 2 && busy_calls > 50; }, 30s));
        for (int i = 0; i < 5; ++i) {
          auto [ec, r] = co_await other.call("sum_two", i, 1, as_tuple);
          if (ec) failures.push_back("other: " + pgfns::format_error(ec, r.diag));
        }
        const std::size_t before = busy_calls;
        BOOST_TEST(co_await wait_until([&] { return busy_calls > before; }, 30s));
        stop = true;
        BOOST_REQUIRE(co_await wait_until([&] { return running == 0; }, 60s));
      },
      120s);
  BOOST_TEST(failures.empty(), failures.size() << " failures, the first: "
                                               << (failures.empty() ? "" : failures.front()));
}

BOOST_AUTO_TEST_CASE(without_pooler_mode_connecting_through_the_pooler_says_what_to_set) {
  auto o = pooled();
  o.pooler = pgfns::pooler_mode::none;
  run_coroutine([&](boost::asio::io_context& ioc) -> awaitable<void> {
    pgfns::database d(ioc.get_executor(), o);
    auto [ec, diag] = co_await d.async_start(as_tuple);
    const std::string text = pgfns::format_error(ec, diag);
    BOOST_TEST(ec == pgfns::errc::connect_failed, text);
    BOOST_TEST(contains(text, "unsupported startup parameter: options"), text);
    BOOST_TEST(contains(text, "--pooler transaction"), text);
  });
}

BOOST_AUTO_TEST_SUITE_END()

// pooler_mode::transaction through a real pgbouncer in transaction mode (scripts/pg-cluster
// --pgbouncer: 2 server connections per database and user, fewer than the clients): calls of
// several databases share them concurrently, pipelined; read-only and the statement timeout are
// enforced per transaction and do not leak into the next; a cancel stops its own call only, and
// a deadline holds while the call waits for a server connection. Without pooler mode, connecting
// through the pooler fails and says what to set.
#include <pgfns/database.hpp>

#include "call_outcome.hpp"
#include "core_db.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
using pgfns::test::core_database;
using pgfns::test::run_coroutine;
using pgfns::test::run_with_database;
using pgfns::test::sleep_for;
using pgfns::test::wait_until;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

namespace {

using outcome = pgfns::test::call_outcome<>;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

struct pooler_fixture {
  core_database db{"pooler"};

  // Every URL through the pgbouncers (pooled_write_url() throws, saying why, when the test
  // servers have none), in pooler mode. `read` is the read URL: the pooled standby by default.
  pgfns::database_options pooled(std::string read) const {
    auto o = db.options();
    o.write_url = db.scratch().pooled_write_url();
    o.read_url = std::move(read);
    o.pooler = pgfns::pooler_mode::transaction;
    return o;
  }
  pgfns::database_options pooled() const { return pooled(db.scratch().pooled_read_url()); }
  // Reads and writes through the same pgbouncer, so on the same 2 server connections.
  pgfns::database_options primary_only() const { return pooled(db.scratch().pooled_write_url()); }

  std::string count(const std::string& where) const {
    return pgfns::test::query_value(db.scratch().write_url(),
                                    "select count(*) from items where " + where);
  }
};

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

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pooler_mode, pooler_fixture)

// 3 databases (as 3 services would have) x 4 connections per pool, pipelining on: up to 12
// client connections in front of each pgbouncer, for its 2 server connections.
BOOST_AUTO_TEST_CASE(concurrent_reads_and_writes_of_several_databases_all_succeed) {
  constexpr int databases = 3;
  constexpr int clients = 30;  // per database, all at once
  std::set<std::int64_t> ids;
  std::vector<std::string> failures;
  std::size_t most_in_flight = 0;  // write calls in flight on one database at once
  std::size_t most_writers = 0;    // write connections of the 3 databases at once
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
                const auto w = d->stats(pgfns::pool_role::write);
                most_in_flight = std::max(most_in_flight, w.in_flight);
                writers += w.total;
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
  // More write calls in flight at once than the 4 connections of a pool: pipelined, each with
  // its own sync, through pgbouncer.
  BOOST_TEST(most_in_flight > 4u);
  BOOST_TEST(most_writers > 2u);  // more clients than the primary's pgbouncer has servers
}

BOOST_AUTO_TEST_CASE(a_write_on_a_read_connection_is_refused_and_nothing_leaks) {
  auto o = primary_only();
  o.read_pool_size = 1;
  o.write_pool_size = 1;
  run_with_database(o, reads_stay_read_only);
  BOOST_TEST(count("name = 'sneaky'") == "0");
  BOOST_TEST(count("name = 'honest'") == "6");
}

// No read URL: reads go to the primary through a read-only pool of their own.
BOOST_AUTO_TEST_CASE(without_a_read_url_reads_are_read_only_on_the_primary) {
  auto o = pooled("");
  o.read_pool_size = 1;
  o.write_pool_size = 1;
  run_with_database(o, reads_stay_read_only);
  BOOST_TEST(count("name = 'sneaky'") == "0");
  BOOST_TEST(count("name = 'honest'") == "6");
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

// a's write passes its deadline and is cancelled on the server; b's calls on the same pooler
// (one slow, then quick ones pipelined behind it on b's one connection) are not touched.
BOOST_AUTO_TEST_CASE(a_deadline_cancels_its_own_call_only) {
  auto oa = primary_only();
  oa.call_timeout = 1000ms;
  oa.write_pool_size = 1;
  auto ob = primary_only();
  ob.write_pool_size = 1;
  constexpr int quick = 5;
  run_coroutine([&](boost::asio::io_context& ioc) -> awaitable<void> {
    pgfns::database a(ioc.get_executor(), oa);
    pgfns::database b(ioc.get_executor(), ob);
    co_await a.async_start();
    co_await b.async_start();
    // Described: each call below is sent at once.
    co_await a.call("slow_add_item", "warm-up", 0.0);
    co_await b.call("slow_add_item", "warm-up", 0.0);
    co_await b.call("add_item", "warm-up");
    outcome cancelled, slow;
    std::vector<outcome> quicks(quick);
    const auto t0 = steady_clock::now();
    a.call("slow_add_item", "cancelled", 30.0, cancelled.handler());
    b.call("slow_add_item", "slow", 2.0, slow.handler());
    for (int i = 0; i < quick; ++i) b.call("add_item", "quick", quicks[i].handler());
    // b's calls are pipelined on its one connection.
    const bool pipelined = co_await wait_until(
        [&] { return b.stats(pgfns::pool_role::write).in_flight > 1u || slow.ec; }, 10s);
    BOOST_TEST(pipelined);
    BOOST_TEST(!slow.ec.has_value());
    co_await wait_for(cancelled);
    BOOST_TEST(*cancelled.ec == pgfns::errc::call_timeout, cancelled.text());
    BOOST_TEST(contains(cancelled.r.diag.message, "did not happen"), cancelled.text());
    BOOST_TEST((steady_clock::now() - t0 < 20s));  // long before the 30 s of its sleep
    co_await wait_for(slow);
    BOOST_TEST(!*slow.ec, slow.text());
    for (auto& o : quicks) {
      co_await wait_for(o);
      BOOST_TEST(!*o.ec, o.text());
    }
    // Both still work.
    auto [aec, ar] = co_await a.call("add_item", "after", as_tuple);
    BOOST_TEST(!aec, pgfns::format_error(aec, ar.diag));
  });
  BOOST_TEST(count("name = 'cancelled'") == "0");
  BOOST_TEST(count("name = 'slow'") == "1");
  BOOST_TEST(count("name = 'quick'") == std::to_string(quick));
  BOOST_TEST(count("name = 'after'") == "1");
  BOOST_TEST(count("name = 'warm-up'") == "3");
}

// a's write is sent while b's calls hold both server connections, and its deadline passes
// while it waits in pgbouncer: a cancel request for a client not linked to a server connection
// goes nowhere, but pgfns repeats it every second, so it stops the write once it runs. The call
// ends within call_timeout + cancel_grace, and the write did not happen.
BOOST_AUTO_TEST_CASE(a_deadline_holds_while_the_call_waits_for_a_server_connection) {
  auto oa = primary_only();
  oa.call_timeout = 1000ms;
  oa.cancel_grace = 10000ms;  // longer than b's calls hold the server connections
  auto ob = primary_only();
  run_coroutine(
      [&](boost::asio::io_context& ioc) -> awaitable<void> {
        pgfns::database a(ioc.get_executor(), oa);
        pgfns::database b(ioc.get_executor(), ob);
        co_await a.async_start();
        co_await b.async_start();
        co_await a.call("slow_add_item", "warm-up", 0.0);  // described: the call itself is sent
        outcome first, second, waited;
        // A read and a write, so on two connections of b: both server connections busy.
        b.call("sleep", 3.0, first.handler());
        b.call("slow_add_item", "blocker", 3.0, second.handler());
        const auto running = [&] {
          return pgfns::test::query_value(
                     db.scratch().write_url(),
                     "select count(*) from pg_stat_activity where datname = '" +
                         db.scratch().name() +
                         "' and state = 'active' and (query like 'select * from \"sleep\"%' or "
                         "query like 'select * from \"slow_add_item\"%')") == "2";
        };
        const bool busy = co_await wait_until(running, 10s);
        BOOST_REQUIRE(busy);
        const auto t0 = steady_clock::now();
        a.call("slow_add_item", "waited", 30.0, waited.handler());
        co_await wait_for(waited);
        const auto took = steady_clock::now() - t0;
        BOOST_TEST(*waited.ec == pgfns::errc::call_timeout, waited.text());
        BOOST_TEST(contains(waited.r.diag.message, "it did not happen"), waited.text());
        // Once b's calls end (3 s), within call_timeout + cancel_grace.
        BOOST_TEST((took < 20s), "took " << std::chrono::duration<double>(took).count() << " s");
        co_await wait_for(first);
        co_await wait_for(second);
        BOOST_TEST(!*first.ec, first.text());
        BOOST_TEST(!*second.ec, second.text());
      },
      90s);
  BOOST_TEST(count("name = 'waited'") == "0");
  BOOST_TEST(count("name = 'blocker'") == "1");
}

// Three writes pipelined on one connection; the middle one is cancelled through its completion
// token while the first still runs: the first and the last commit, the middle one does not.
BOOST_AUTO_TEST_CASE(cancelling_one_pipelined_call_leaves_the_others_intact) {
  auto o = primary_only();
  o.write_pool_size = 1;
  run_with_database(o, [&](pgfns::database& d) -> awaitable<void> {
    outcome before, target, after;
    boost::asio::cancellation_signal signal;
    const auto t0 = steady_clock::now();
    d.call("slow_add_item", "before", 1.0, before.handler());
    d.call("slow_add_item", "target", 30.0,
           boost::asio::bind_cancellation_slot(signal.slot(), target.handler()));
    d.call("add_item", "after", after.handler());
    co_await sleep_for(200ms);
    BOOST_TEST(!before.ec.has_value());  // still running
    signal.emit(boost::asio::cancellation_type::terminal);
    co_await wait_for(after);
    co_await wait_for(target);
    BOOST_TEST(!*before.ec, before.text());
    BOOST_TEST(before.r.size() == 1u);
    // Stopped on the server once it ran, not before: `before` was running when it was cancelled.
    BOOST_TEST(*target.ec == pgfns::make_sqlstate_error("57014"), target.text());
    BOOST_TEST(contains(target.r.diag.message, "it did not happen"), target.text());
    BOOST_TEST(!*after.ec, after.text());
    BOOST_TEST(after.r.size() == 1u);
    BOOST_TEST((steady_clock::now() - t0 < 20s));  // the 30 s sleep was stopped
  });
  BOOST_TEST(count("name = 'before'") == "1");
  BOOST_TEST(count("name = 'target'") == "0");
  BOOST_TEST(count("name = 'after'") == "1");
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

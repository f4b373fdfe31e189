// Cancels and deadlines in pooler_mode::transaction through a real pgbouncer in transaction
// mode (2 server connections per database and user): a cancel request reaches the server
// connection of its own call only, also when the call waited in pgbouncer for one, and the
// calls beside it, of the same database or of another, are untouched.
#include <pgfns/database.hpp>

#include "call_outcome.hpp"
#include "core_db.hpp"
#include "pooled_core_db.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
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

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pooler_cancel, pgfns::test::pooled_core_database)

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

// Three writes pipelined on one connection (one batch); the middle one is cancelled through its
// completion token while the first still runs: the first and the last commit, the middle one does
// not.
BOOST_AUTO_TEST_CASE(cancelling_one_pipelined_call_leaves_the_others_intact) {
  auto o = primary_only();
  o.write_pool_size = 1;
  run_with_database(o, [&](pgfns::database& d) -> awaitable<void> {
    // Both statements described first: the three calls below then leave in one burst, so in one
    // batch of the connection (pooler mode), pipelined behind each other.
    co_await d.call("slow_add_item", "pipelined warm-up", 0.0);
    co_await d.call("add_item", "pipelined warm-up");
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
    co_await wait_for(before);
    co_await wait_for(target);
    co_await wait_for(after);
    BOOST_TEST(!*before.ec, before.text());
    BOOST_TEST(before.r.size() == 1u);
    // The cancelled write never commits, and says so.
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

BOOST_AUTO_TEST_SUITE_END()

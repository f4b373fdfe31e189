// Per-operation cancellation: a call still waiting for a connection never reaches the server;
// a running read completes at once and is cancelled on the server; a running write reports
// what happened to it; the connection stays in use and the calls beside it are untouched.
#include <pgfns/database.hpp>

#include "call_outcome.hpp"
#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

using boost::asio::awaitable;
using pgfns::test::core_database;
using pgfns::test::run_with_database;
using pgfns::test::sleep_for;
using namespace std::chrono_literals;

namespace {

using outcome = pgfns::test::call_outcome<>;

struct cancel_fixture {
  core_database db{"cancel"};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(call_cancel, cancel_fixture)

BOOST_AUTO_TEST_CASE(a_running_call_is_cancelled_on_the_server_and_its_connection_reused) {
  auto options = db.options();
  options.read_pool_size = 1;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result pid = co_await d.call("backend_pid");
    boost::asio::cancellation_signal signal;
    outcome slow;
    const auto started = std::chrono::steady_clock::now();
    d.call("sleep", 30.0, boost::asio::bind_cancellation_slot(signal.slot(), slow.handler()));
    co_await sleep_for(300ms);
    BOOST_TEST(!slow.ec);
    signal.emit(boost::asio::cancellation_type::terminal);
    co_await wait_for(slow);
    BOOST_TEST(*slow.ec == boost::asio::error::operation_aborted);
    BOOST_TEST(slow.r.diag.message == "cancelled while it ran; its answer will be discarded");
    BOOST_TEST((std::chrono::steady_clock::now() - started < 10s));
    const pgfns::result again = co_await d.call("backend_pid");
    BOOST_TEST(again[0].at("backend_pid") == pid[0].at("backend_pid"));
    BOOST_TEST(d.stats(pgfns::pool_role::read).total == 1u);
  });
}

BOOST_AUTO_TEST_CASE(a_running_write_reports_that_the_server_cancelled_it) {
  auto options = db.options();
  options.write_pool_size = 1;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    boost::asio::cancellation_signal signal;
    outcome slow;
    d.call("slow_add_item", "cancelled", 30.0,
           boost::asio::bind_cancellation_slot(signal.slot(), slow.handler()));
    co_await sleep_for(300ms);
    BOOST_TEST(!slow.ec);
    signal.emit(boost::asio::cancellation_type::terminal);
    co_await wait_for(slow);
    BOOST_TEST(*slow.ec == pgfns::make_sqlstate_error("57014"));
    BOOST_TEST(slow.r.diag.sqlstate == "57014");
    BOOST_TEST(slow.r.diag.message ==
               "cancelled by the caller; the server stopped the write before it committed: it "
               "did not happen");
    const pgfns::result added = co_await d.call("add_item", "after");
    BOOST_TEST(added.size() == 1u);
    BOOST_TEST(d.stats(pgfns::pool_role::write).total == 1u);  // the connection was kept
  });
  BOOST_TEST(pgfns::test::query_value(db.scratch().write_url(),
                                      "select count(*) from items where name = 'cancelled'") ==
             "0");
}

BOOST_AUTO_TEST_CASE(a_queued_call_is_removed_and_never_reaches_the_server) {
  auto options = db.options();
  options.write_pool_size = 1;
  options.pipelining = false;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    outcome first, queued;
    boost::asio::cancellation_signal signal;
    d.call("slow_add_item", "first", 1.0, first.handler());
    d.call("add_item", "queued",
           boost::asio::bind_cancellation_slot(signal.slot(), queued.handler()));
    co_await sleep_for(100ms);
    BOOST_TEST(d.stats(pgfns::pool_role::write).waiting == 1u);
    signal.emit(boost::asio::cancellation_type::terminal);
    co_await sleep_for(20ms);
    BOOST_REQUIRE(queued.ec.has_value());  // at once, not after the first call
    BOOST_TEST(!first.ec.has_value());
    BOOST_TEST(*queued.ec == boost::asio::error::operation_aborted);
    BOOST_TEST(queued.r.diag.message ==
               "cancelled while it waited for a connection of the write pool; it was not sent");
    co_await wait_for(first);
    BOOST_TEST(!*first.ec);
    const pgfns::result count = co_await d.call("server_info_write");
    BOOST_TEST(!count.empty());
    db.scratch().wait_for_standby();
    const pgfns::result items = co_await d.call("count_items");
    BOOST_TEST(items[0].at("count_items").as_int64() == 1);  // "queued" never ran
  });
}

BOOST_AUTO_TEST_CASE(awaitable_operators_cancel_the_loser) {
  using namespace boost::asio::experimental::awaitable_operators;
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const auto started = std::chrono::steady_clock::now();
    auto winner = co_await (d.call("sleep", 30.0, boost::asio::use_awaitable) || sleep_for(200ms));
    BOOST_TEST(winner.index() == 1u);
    BOOST_TEST((std::chrono::steady_clock::now() - started < 10s));
    const pgfns::result r = co_await d.call("sum_two", 1, 2);
    BOOST_TEST(r[0].at("sum_two").as_int64() == 3);
    BOOST_TEST(d.stats(pgfns::pool_role::read).errors == 1u);
  });
}

BOOST_AUTO_TEST_CASE(cancelling_one_pipelined_call_leaves_its_neighbours_alone) {
  auto options = db.options();
  options.read_pool_size = 1;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    co_await d.call("sleep", 0.0);  // prepared and described before the race
    outcome before, target, after;
    boost::asio::cancellation_signal signal;
    d.call("sleep", 0.5, before.handler());
    d.call("sleep", 30.0, boost::asio::bind_cancellation_slot(signal.slot(), target.handler()));
    d.call("sleep", 0.2, after.handler());
    co_await sleep_for(100ms);
    signal.emit(boost::asio::cancellation_type::terminal);  // while `before` still runs
    co_await wait_for(after);
    BOOST_TEST(!*before.ec);
    BOOST_TEST(*target.ec == boost::asio::error::operation_aborted);
    BOOST_TEST(!*after.ec);
  });
}

BOOST_AUTO_TEST_SUITE_END()

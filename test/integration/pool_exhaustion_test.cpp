// A pool with every connection busy: calls wait in order, and one that waits longer than the
// acquire timeout fails with pool_timeout; the counts show it all.
#include <pgfns/database.hpp>

#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::core_database;
using pgfns::test::run_with_database;
using pgfns::test::sleep_for;
using namespace std::chrono_literals;

namespace {

struct exhaustion_fixture {
  core_database db{"exhaustion"};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pool_exhaustion, exhaustion_fixture)

BOOST_AUTO_TEST_CASE(a_call_waiting_longer_than_the_acquire_timeout_fails) {
  auto options = db.options();
  options.write_pool_size = 1;
  options.pipelining = false;
  options.acquire_timeout = 300ms;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    std::optional<boost::system::error_code> slow;
    d.call("slow_add_item", "slow", 1.5,
           [&](boost::system::error_code ec, pgfns::result) { slow = ec; });
    co_await sleep_for(50ms);
    const auto busy = d.stats(pgfns::pool_role::write);
    BOOST_TEST(busy.total == 1u);
    BOOST_TEST(busy.busy == 1u);
    BOOST_TEST(busy.idle == 0u);
    const auto started = std::chrono::steady_clock::now();
    auto [ec, r] =
        co_await d.call("add_item", "late", boost::asio::as_tuple(boost::asio::deferred));
    const auto waited = std::chrono::steady_clock::now() - started;
    BOOST_TEST(ec == pgfns::errc::pool_timeout);
    BOOST_TEST(r.diag.message == "no connection of the write pool became available within 300 ms");
    BOOST_TEST(r.diag.pool == "write");
    BOOST_TEST((waited >= 290ms && waited < 1400ms));
    BOOST_TEST(!slow.has_value());
    while (!slow) co_await sleep_for(10ms);
    BOOST_TEST(!*slow);
    const auto after = d.stats(pgfns::pool_role::write);
    BOOST_TEST(after.calls == 2u);
    BOOST_TEST(after.errors == 1u);
    BOOST_TEST(after.waiting == 0u);
    BOOST_TEST(after.idle == 1u);
  });
}

BOOST_AUTO_TEST_CASE(waiting_calls_are_served_in_order) {
  auto options = db.options();
  options.read_pool_size = 1;
  options.pipelining = false;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    co_await d.call("sum_two", 0, 0);  // described before the queue forms
    std::vector<int> order;
    for (int i = 0; i < 20; ++i)
      d.call("sum_two", i, 0, [&order](boost::system::error_code ec, pgfns::result r) {
        order.push_back(ec ? -1 : static_cast<int>(r[0].at("sum_two").as_int64()));
      });
    // Initiated on the database's executor, calls start at once: one runs, 19 wait.
    BOOST_TEST(d.stats(pgfns::pool_role::read).waiting == 19u);
    while (order.size() < 20) co_await sleep_for(5ms);
    for (int i = 0; i < 20; ++i) BOOST_TEST(order[i] == i);
  });
}

BOOST_AUTO_TEST_CASE(pipelined_connections_take_calls_up_to_their_depth) {
  auto options = db.options();
  options.read_pool_size = 1;
  options.pipeline_depth = 3;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    co_await d.call("sleep", 0.0);
    int done = 0;
    for (int i = 0; i < 5; ++i)
      d.call("sleep", 0.3, [&done](boost::system::error_code, pgfns::result) { ++done; });
    co_await sleep_for(50ms);
    const auto s = d.stats(pgfns::pool_role::read);
    BOOST_TEST(s.total == 1u);
    BOOST_TEST(s.in_flight == 3u);
    BOOST_TEST(s.waiting == 2u);
    while (done < 5) co_await sleep_for(10ms);
  });
}

BOOST_AUTO_TEST_SUITE_END()

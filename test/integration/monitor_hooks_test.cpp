// The monitoring hooks: one event per call (refused ones too) and periodic pool counts.
#include <pgfns/database.hpp>

#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::core_database;
using pgfns::test::run_with_database;
using namespace std::chrono_literals;

namespace {

struct seen_event {
  std::string method;
  pgfns::method_mode mode;
  bool pooled;
  pgfns::pool_role pool;
  boost::system::error_code ec;
  std::string sqlstate;
  int attempts;
  std::chrono::nanoseconds duration;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(monitor_hooks)

BOOST_AUTO_TEST_CASE(every_call_is_reported_and_pool_counts_arrive_periodically) {
  core_database db("monitor");
  std::vector<seen_event> events;
  std::vector<std::pair<pgfns::pool_role, pgfns::pool_stats>> stats;
  auto options = db.options();
  options.monitor.on_call = [&](const pgfns::call_event& e) {
    events.push_back({std::string(e.method), e.mode, e.pooled, e.pool, e.ec,
                      std::string(e.sqlstate), e.attempts, e.duration});
  };
  options.monitor.on_pool_stats = [&](pgfns::pool_role role, const pgfns::pool_stats& s) {
    stats.emplace_back(role, s);
  };
  options.monitor.stats_interval = 50ms;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    co_await d.call("sum_two", 1, 2);
    co_await d.call("add_item", "x");
    auto [e1, r1] =
        co_await d.call("fail_with", "22023", "no", boost::asio::as_tuple(boost::asio::deferred));
    auto [e2, r2] = co_await d.call("nothing_here", boost::asio::as_tuple(boost::asio::deferred));
    co_await pgfns::test::sleep_for(200ms);
  });
  BOOST_REQUIRE(events.size() == 4u);
  BOOST_TEST(events[0].method == "sum_two");
  BOOST_TEST((events[0].pool == pgfns::pool_role::read && events[0].pooled));
  BOOST_TEST(!events[0].ec);
  BOOST_TEST(events[0].attempts == 1);
  BOOST_TEST(events[0].duration.count() > 0);
  BOOST_TEST(
      (events[1].mode == pgfns::method_mode::write && events[1].pool == pgfns::pool_role::write));
  BOOST_TEST(events[2].sqlstate == "22023");
  BOOST_TEST(events[2].ec == pgfns::make_sqlstate_error("22023"));
  BOOST_TEST(events[3].ec == pgfns::errc::unknown_method);
  BOOST_TEST(!events[3].pooled);
  BOOST_TEST(events[3].attempts == 0);
  int reads = 0, writes = 0;
  for (const auto& [role, s] : stats) ++(role == pgfns::pool_role::read ? reads : writes);
  BOOST_TEST(reads >= 2);
  BOOST_TEST(writes >= 2);
  BOOST_TEST(stats.back().second.calls >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()

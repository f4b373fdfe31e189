// The calls' deadlines: one timer for a list kept in deadline order.
#include "client/call/deadline_list.hpp"

#include "run_until.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <memory>
#include <vector>

using pgfns::detail::deadline_list;
using pgfns::test::run_until;
using clock_type = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

struct entry final : pgfns::detail::deadline_entry {
  std::function<void()> on_expiry;
  clock_type::time_point fired{};
  void on_deadline() override {
    fired = clock_type::now();
    if (on_expiry) on_expiry();
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(deadline_lists)

BOOST_AUTO_TEST_CASE(entries_expire_in_order_not_before_their_deadline) {
  boost::asio::io_context ioc;
  deadline_list list(ioc.get_executor(), 60ms);
  entry a, b, c;
  std::vector<entry*> order;
  for (entry* e : {&a, &b, &c}) e->on_expiry = [&order, e] { order.push_back(e); };
  const auto t0 = clock_type::now();
  list.add(a, t0);
  list.add(b, t0 + 20ms);
  list.add(c, t0 + 40ms);
  BOOST_TEST(list.size() == 3u);
  BOOST_TEST(run_until(
      ioc, [&] { return order.size() == 3; }, 5s));
  BOOST_TEST((order == std::vector<entry*>{&a, &b, &c}));
  BOOST_TEST((a.fired >= t0 + 60ms));
  BOOST_TEST((b.fired >= t0 + 80ms));
  BOOST_TEST((c.fired >= t0 + 100ms));
  BOOST_TEST(list.size() == 0u);
  BOOST_TEST(!a.is_linked());
}

BOOST_AUTO_TEST_CASE(a_removed_entry_never_expires_and_the_next_one_still_does) {
  boost::asio::io_context ioc;
  deadline_list list(ioc.get_executor(), 30ms);
  entry a, b;
  const auto t0 = clock_type::now();
  list.add(a, t0);
  list.add(b, t0 + 30ms);
  list.remove(a);
  list.remove(a);  // twice is harmless
  BOOST_TEST(run_until(
      ioc, [&] { return b.fired != clock_type::time_point{}; }, 5s));
  BOOST_TEST((a.fired == clock_type::time_point{}));
  BOOST_TEST((b.fired >= t0 + 60ms));
}

BOOST_AUTO_TEST_CASE(no_timeout_means_no_deadlines) {
  boost::asio::io_context ioc;
  deadline_list list(ioc.get_executor(), 0ms);
  entry a;
  list.add(a, clock_type::now() - 1h);
  BOOST_TEST(list.size() == 0u);
  BOOST_TEST(!a.is_linked());
}

BOOST_AUTO_TEST_CASE(an_entry_may_end_the_list_from_its_deadline) {
  boost::asio::io_context ioc;
  auto list = std::make_unique<deadline_list>(ioc.get_executor(), 10ms);
  entry a, b;
  int fired = 0;
  a.on_expiry = [&] {
    ++fired;
    list.reset();  // e.g. the last call of a closed database
  };
  b.on_expiry = [&] { ++fired; };
  const auto t0 = clock_type::now();
  list->add(a, t0);
  list->add(b, t0);
  BOOST_TEST(run_until(
      ioc, [&] { return !list; }, 5s));
  ioc.run_for(50ms);
  BOOST_TEST(fired == 1);
  BOOST_TEST(!b.is_linked());
}

BOOST_AUTO_TEST_CASE(clear_forgets_every_entry_and_the_list_works_again) {
  boost::asio::io_context ioc;
  deadline_list list(ioc.get_executor(), 10ms);
  entry a, b;
  list.add(a, clock_type::now());
  list.clear();
  BOOST_TEST(!a.is_linked());
  list.add(b, clock_type::now());
  BOOST_TEST(run_until(
      ioc, [&] { return b.fired != clock_type::time_point{}; }, 5s));
  ioc.run_for(50ms);
  BOOST_TEST((a.fired == clock_type::time_point{}));
}

BOOST_AUTO_TEST_SUITE_END()

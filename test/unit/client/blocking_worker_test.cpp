// The threads for blocking libpq calls: each task on its own thread, a bounded number at once,
// and a task that never returns (a cancel request to a frozen server) holds up nothing else.
#include "client/pq/blocking_worker.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <thread>

using pgfns::detail::blocking_worker;
using namespace std::chrono_literals;

namespace {

// Waits up to 5 s for `pred`.
template <class Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 500; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(blocking_workers)

BOOST_AUTO_TEST_CASE(a_task_runs_on_another_thread) {
  blocking_worker w;
  std::promise<std::thread::id> ran;
  BOOST_TEST(w.post([&] { ran.set_value(std::this_thread::get_id()); }));
  auto f = ran.get_future();
  BOOST_REQUIRE(f.wait_for(5s) == std::future_status::ready);
  BOOST_TEST((f.get() != std::this_thread::get_id()));
  BOOST_TEST(eventually([&] { return w.running() == 0; }));
}

BOOST_AUTO_TEST_CASE(a_stuck_task_delays_no_other_task) {
  blocking_worker w(2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  BOOST_TEST(w.post([released] { released.wait(); }));  // a cancel to a frozen server
  std::promise<void> second;
  BOOST_TEST(w.post([&] { second.set_value(); }));
  BOOST_TEST((second.get_future().wait_for(5s) == std::future_status::ready));
  release.set_value();
  BOOST_TEST(eventually([&] { return w.running() == 0; }));
}

BOOST_AUTO_TEST_CASE(beyond_the_limit_tasks_are_dropped_until_one_ends) {
  blocking_worker w(2);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  BOOST_TEST(w.post([released] { released.wait(); }));
  BOOST_TEST(w.post([released] { released.wait(); }));
  BOOST_TEST(w.running() == 2u);
  bool dropped_ran = false;
  BOOST_TEST(!w.post([&] { dropped_ran = true; }));
  release.set_value();
  BOOST_TEST(eventually([&] { return w.running() == 0; }));
  std::promise<void> after;
  BOOST_TEST(w.post([&] { after.set_value(); }));
  BOOST_TEST((after.get_future().wait_for(5s) == std::future_status::ready));
  BOOST_TEST(!dropped_ran);
  BOOST_TEST(eventually([&] { return w.running() == 0; }));
}

BOOST_AUTO_TEST_CASE(destruction_does_not_wait_for_a_stuck_task) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  auto finished = std::make_shared<std::promise<void>>();
  auto done = finished->get_future();
  const auto t0 = std::chrono::steady_clock::now();
  {
    blocking_worker w;
    BOOST_TEST(w.post([released, finished] {
      released.wait();
      finished->set_value();
    }));
  }
  BOOST_TEST((std::chrono::steady_clock::now() - t0 < 1s));
  release.set_value();  // the task ends on its own thread, after its worker
  BOOST_TEST((done.wait_for(5s) == std::future_status::ready));
}

BOOST_AUTO_TEST_SUITE_END()

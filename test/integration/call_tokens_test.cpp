// Completion tokens other than the default, and threads: callbacks, asio::deferred,
// asio::use_awaitable, asio::use_future from another thread, a database on a strand of an
// io_context run by several threads.
#include <pgfns/database.hpp>

#include "core_db.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::core_database;
using pgfns::test::run_coroutine;

namespace {

struct tokens_fixture {
  core_database db{"tokens"};
};

// An io_context run by `threads` threads for the lifetime of this object.
struct running_context {
  io_context ioc;
  boost::asio::executor_work_guard<io_context::executor_type> work{ioc.get_executor()};
  std::vector<std::thread> threads;
  explicit running_context(int n) {
    for (int i = 0; i < n; ++i) threads.emplace_back([this] { ioc.run(); });
  }
  ~running_context() {
    work.reset();
    ioc.stop();
    for (auto& t : threads) t.join();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(call_tokens, tokens_fixture)

BOOST_AUTO_TEST_CASE(callbacks_run_later_on_the_executor_never_inside_call) {
  io_context ioc;
  pgfns::database d(ioc.get_executor(), db.options());
  bool started = false;
  d.async_start([&](boost::system::error_code ec, const pgfns::diagnostics&) {
    BOOST_TEST(!ec);
    started = true;
  });
  BOOST_TEST(!started);
  while (!started) ioc.run_one();
  int answer = 0;
  d.call("sum_two", 20, 22, [&](boost::system::error_code ec, pgfns::result r) {
    BOOST_TEST(!ec);
    answer = static_cast<int>(r[0].at("sum_two").as_int64());
  });
  BOOST_TEST(answer == 0);
  bool refused = false;
  d.call("no_such_method", [&](boost::system::error_code ec, pgfns::result) {
    BOOST_TEST(ec == pgfns::errc::unknown_method);
    refused = true;
  });
  BOOST_TEST(!refused);  // even an immediate refusal completes later
  while (answer == 0 || !refused) ioc.run_one();
  BOOST_TEST(answer == 42);
}

BOOST_AUTO_TEST_CASE(deferred_and_use_awaitable_throw_system_errors) {
  run_coroutine([&](io_context& ioc) -> awaitable<void> {
    pgfns::database d(ioc.get_executor(), db.options());
    co_await d.async_start(boost::asio::deferred);
    const pgfns::result a = co_await d.call("sum_two", 1, 2, boost::asio::deferred);
    const pgfns::result b = co_await d.call("sum_two", 3, 4, boost::asio::use_awaitable);
    BOOST_TEST(a[0].at("sum_two").as_int64() == 3);
    BOOST_TEST(b[0].at("sum_two").as_int64() == 7);
    try {
      co_await d.call("fail_with", "22023", "nope", boost::asio::deferred);
      BOOST_FAIL("no exception");
    } catch (const boost::system::system_error& e) {
      BOOST_TEST(e.code() == pgfns::make_sqlstate_error("22023"));
    }
  });
}

BOOST_AUTO_TEST_CASE(use_future_from_another_thread) {
  running_context ctx(1);
  pgfns::database d(ctx.ioc.get_executor(), db.options());
  d.async_start(boost::asio::use_future).get();
  const pgfns::result r = d.call("sum_two", 2, 3, boost::asio::use_future).get();
  BOOST_TEST(r[0].at("sum_two").as_int64() == 5);
  auto failing = d.call("fail_with", "22023", "nope", boost::asio::use_future);
  BOOST_CHECK_THROW(failing.get(), boost::system::system_error);
  std::promise<void> closed;
  boost::asio::post(d.get_executor(), [&] {
    d.close();
    closed.set_value();
  });
  closed.get_future().get();
}

BOOST_AUTO_TEST_CASE(a_database_on_a_strand_of_a_multithreaded_context) {
  running_context ctx(4);
  pgfns::database d(boost::asio::make_strand(ctx.ioc), db.options());
  d.async_start(boost::asio::use_future).get();
  std::vector<std::future<pgfns::result>> futures;
  for (int i = 0; i < 500; ++i) futures.push_back(d.call("sum_two", i, i, boost::asio::use_future));
  for (int i = 0; i < 500; ++i) BOOST_TEST(futures[i].get()[0].at("sum_two").as_int64() == 2 * i);
  std::promise<pgfns::pool_stats> stats;
  boost::asio::post(d.get_executor(), [&] {
    const auto s = d.stats(pgfns::pool_role::read);
    d.close();
    stats.set_value(s);
  });
  BOOST_TEST(stats.get_future().get().calls == 500u);
}

BOOST_AUTO_TEST_CASE(destroying_a_database_from_another_thread_ends_its_calls) {
  running_context ctx(2);
  auto d = std::make_unique<pgfns::database>(boost::asio::make_strand(ctx.ioc), db.options());
  d->async_start(boost::asio::use_future).get();
  auto slow = d->call("sleep", 30.0, boost::asio::use_future);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto started = std::chrono::steady_clock::now();
  d.reset();
  try {
    slow.get();
    BOOST_FAIL("no exception");
  } catch (const boost::system::system_error& e) {
    BOOST_TEST(e.code() == pgfns::errc::shut_down);
  }
  BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(10)));
}

// Calls answered together complete one after another right after their results are read; a
// callback that throws must not take the other callbacks, or the connection, with it.
BOOST_AUTO_TEST_CASE(a_throwing_callback_leaves_the_other_calls_and_the_connection_working) {
  io_context ioc;
  auto options = db.options();
  options.pipelining = true;
  options.read_pool_size = options.write_pool_size = 1;  // every call on the same connection
  pgfns::database d(ioc.get_executor(), options);
  bool started = false;
  d.async_start([&](boost::system::error_code ec, const pgfns::diagnostics&) {
    BOOST_TEST(!ec);
    started = true;
  });
  while (!started) ioc.run_one();
  constexpr int calls = 8;
  int completed = 0;
  int sum = 0;
  for (int i = 0; i < calls; ++i) {
    d.call("sum_two", i, 1, [&, i](boost::system::error_code ec, pgfns::result r) {
      BOOST_TEST(!ec);
      ++completed;
      if (!ec) sum += static_cast<int>(r[0].at("sum_two").as_int64());
      if (i == 3) throw std::runtime_error("thrown by a callback");
    });
  }
  int thrown = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (completed < calls && std::chrono::steady_clock::now() < deadline) {
    try {
      ioc.run_one_for(std::chrono::milliseconds(100));
    } catch (const std::runtime_error& e) {
      BOOST_TEST(e.what() == std::string("thrown by a callback"));
      ++thrown;
    }
  }
  BOOST_TEST_REQUIRE(completed == calls);
  BOOST_TEST(thrown == 1);
  BOOST_TEST(sum == calls * (calls - 1) / 2 + calls);
  int answer = 0;
  d.call("sum_two", 20, 22, [&](boost::system::error_code ec, pgfns::result r) {
    BOOST_TEST(!ec);
    answer = ec ? -1 : static_cast<int>(r[0].at("sum_two").as_int64());
  });
  while (answer == 0) ioc.run_one();
  BOOST_TEST(answer == 42);
}

BOOST_AUTO_TEST_SUITE_END()

// A server error through each completion token: the tokens that throw (none, use_awaitable,
// deferred, use_future, with_diagnostics(...), a bound cancellation slot) throw pgfns::error with
// the server's SQLSTATE, message, detail and hint; callbacks, as_tuple and redirect_error get the
// error code and the result holding the same diagnostics.
#include <pgfns/database.hpp>
#include <pgfns/with_diagnostics.hpp>

#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <variant>

namespace asio = boost::asio;
using boost::asio::awaitable;
using boost::system::error_code;
using pgfns::test::core_database;
using pgfns::test::run_with_database;

namespace {

struct error_tokens_fixture {
  core_database db{"error_tokens"};
};

// fail_with raises `code_in` with message `message_in`, DETAIL 'some detail', HINT 'some hint'.
constexpr const char* taken = "item name \"bolt\" is taken";

void check_server_diagnostics(const error_code& ec, const pgfns::diagnostics& d) {
  BOOST_TEST(ec == pgfns::make_sqlstate_error("23505"));
  BOOST_TEST(d.sqlstate == "23505");
  BOOST_TEST(d.message == taken);
  BOOST_TEST(d.detail == "some detail");
  BOOST_TEST(d.hint == "some hint");
  BOOST_TEST(d.method == "fail_with");
  BOOST_TEST(d.pool == "read");
  BOOST_TEST(!d.server.empty());
}

void check_server_error(const pgfns::error& e) {
  check_server_diagnostics(e.code(), e.diag());
  const std::string what = e.what();
  BOOST_TEST(what.find(taken) != std::string::npos, what);
  BOOST_TEST(what.find("some hint") != std::string::npos, what);
}

// Awaits `op`, which must throw pgfns::error with the server's diagnostics.
template <class Awaitable>
awaitable<void> expect_server_error(Awaitable op) {
  try {
    co_await std::move(op);
    BOOST_FAIL("no exception");
  } catch (const pgfns::error& e) {
    check_server_error(e);
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(call_error_tokens, error_tokens_fixture)

BOOST_AUTO_TEST_CASE(awaited_tokens_throw_pgfns_error_with_the_server_diagnostics) {
  run_with_database(db.options(), [](pgfns::database& d) -> awaitable<void> {
    co_await expect_server_error(d.call("fail_with", "23505", taken));
    co_await expect_server_error(d.call("fail_with", "23505", taken, asio::use_awaitable));
    co_await expect_server_error(
        d.call("fail_with", "23505", taken, pgfns::with_diagnostics(asio::use_awaitable)));
    asio::cancellation_signal signal;
    co_await expect_server_error(
        d.call("fail_with", "23505", taken,
               asio::bind_cancellation_slot(signal.slot(), asio::use_awaitable)));
    // A deferred operation is awaited directly (wrapping it in a helper coroutine would not
    // show that co_await of it throws).
    try {
      co_await d.call("fail_with", "23505", taken, asio::deferred);
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      check_server_error(e);
    }
    try {
      co_await d.call("fail_with", "23505", taken, pgfns::with_diagnostics(asio::deferred));
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      check_server_error(e);
    }
  });
}

BOOST_AUTO_TEST_CASE(use_future_throws_pgfns_error_from_get) {
  asio::io_context ioc;
  auto work = asio::make_work_guard(ioc);
  std::thread runner([&] { ioc.run(); });
  {
    pgfns::database d(ioc.get_executor(), db.options());
    d.async_start(asio::use_future).get();
    auto f = d.call("fail_with", "23505", taken, asio::use_future);
    try {
      f.get();
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      check_server_error(e);
    }
  }
  work.reset();
  runner.join();
}

BOOST_AUTO_TEST_CASE(callbacks_as_tuple_and_redirect_error_get_the_code_and_the_diagnostics) {
  run_with_database(db.options(), [](pgfns::database& d) -> awaitable<void> {
    auto [ec, r] = co_await d.call("fail_with", "23505", taken, asio::as_tuple(asio::deferred));
    check_server_diagnostics(ec, r.diag);
    auto [ec2, r2] = co_await d.call("fail_with", "23505", taken,
                                     pgfns::with_diagnostics(asio::as_tuple(asio::use_awaitable)));
    check_server_diagnostics(ec2, r2.diag);
    error_code redirected;
    const pgfns::result r3 = co_await d.call("fail_with", "23505", taken,
                                             asio::redirect_error(asio::use_awaitable, redirected));
    check_server_diagnostics(redirected, r3.diag);
    int called = 0;
    auto callback = [&](error_code code, pgfns::result r4) {
      ++called;
      check_server_diagnostics(code, r4.diag);
    };
    d.call("fail_with", "23505", taken, callback);
    d.call("fail_with", "23505", taken, pgfns::with_diagnostics(callback));
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (int i = 0; i < 200 && called < 2; ++i) {
      timer.expires_after(std::chrono::milliseconds(50));
      co_await timer.async_wait(asio::deferred);
    }
    BOOST_TEST(called == 2);
  });
}

BOOST_AUTO_TEST_CASE(a_failed_start_throws_pgfns_error_naming_the_server) {
  auto options = db.options();
  options.write_url = "postgresql://127.0.0.1:1/" + db.scratch().name();  // nothing listens
  options.read_url = "";
  pgfns::test::run_coroutine([&](asio::io_context& ioc) -> awaitable<void> {
    for (const bool deferred : {true, false}) {
      pgfns::database d(ioc.get_executor(), options);
      try {
        if (deferred) {
          co_await d.async_start(asio::deferred);
        } else {
          co_await d.async_start(asio::use_awaitable);
        }
        BOOST_FAIL("no exception");
      } catch (const pgfns::error& e) {
        BOOST_TEST(e.code() == pgfns::errc::connect_failed);
        BOOST_TEST(e.diag().server.find("127.0.0.1:1") != std::string::npos, e.diag().server);
        BOOST_TEST(!e.diag().message.empty());
      }
    }
  });
}

// The handler with_diagnostics wraps keeps the coroutine's cancellation slot: in `call || timer`
// the timer wins and the call is cancelled on the server, instead of running its 30 seconds.
BOOST_AUTO_TEST_CASE(awaitable_operators_cancel_the_call_through_the_adapter) {
  using namespace asio::experimental::awaitable_operators;
  run_with_database(db.options(), [](pgfns::database& d) -> awaitable<void> {
    asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(300));
    const auto started = std::chrono::steady_clock::now();
    auto winner = co_await (d.call("sleep", 30.0, asio::use_awaitable) ||
                            timer.async_wait(asio::use_awaitable));
    BOOST_TEST(winner.index() == 1u);
    BOOST_TEST((std::chrono::steady_clock::now() - started < std::chrono::seconds(10)));
  });
}

BOOST_AUTO_TEST_SUITE_END()

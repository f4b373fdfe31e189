// What each completion token gets from database::call when the call fails, with no server: a
// database that was never started refuses every call with errc::not_started. Tokens that throw
// throw pgfns::error (the database applies with_diagnostics to them); the others get the code.
#include <pgfns/database.hpp>

#include "schema_test_paths.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <thread>

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

pgfns::database_options never_started() {
  pgfns::database_options o;
  o.schema = std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(
      pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "test/fixtures/core-db"));
  o.service = "shop";
  o.write_url = "postgresql://127.0.0.1:1/never_connected";
  return o;
}

void check_refusal(const pgfns::error& e) {
  BOOST_TEST(e.code() == pgfns::errc::not_started);
  BOOST_TEST(e.diag().method == "sum_two");
}

// Awaits `op` and checks that it throws pgfns::error (not only a system_error).
template <class Awaitable>
asio::awaitable<void> expect_refusal(Awaitable op) {
  try {
    co_await std::move(op);
    BOOST_FAIL("no exception");
  } catch (const pgfns::error& e) {
    check_refusal(e);
  }
}

void run(std::function<asio::awaitable<void>(pgfns::database&)> body) {
  asio::io_context ioc;
  pgfns::database db(ioc.get_executor(), never_started());
  std::exception_ptr failure;
  asio::co_spawn(ioc, body(db), [&](std::exception_ptr e) { failure = e; });
  ioc.run();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(database_tokens)

BOOST_AUTO_TEST_CASE(tokens_that_throw_throw_pgfns_error) {
  run([](pgfns::database& db) -> asio::awaitable<void> {
    co_await expect_refusal(db.call("sum_two", 1, 2));
    co_await expect_refusal(db.call("sum_two", 1, 2, asio::use_awaitable));
    co_await expect_refusal(db.call("sum_two", 1, 2, pgfns::with_diagnostics(asio::use_awaitable)));
    asio::cancellation_signal signal;
    co_await expect_refusal(
        db.call("sum_two", 1, 2, asio::bind_cancellation_slot(signal.slot(), asio::use_awaitable)));
    try {
      co_await db.call("sum_two", 1, 2, asio::deferred);
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      check_refusal(e);
    }
  });
}

BOOST_AUTO_TEST_CASE(use_future_throws_pgfns_error) {
  asio::io_context ioc;
  pgfns::database db(ioc.get_executor(), never_started());
  auto f = db.call("sum_two", 1, 2, asio::use_future);
  std::thread runner([&] { ioc.run(); });
  try {
    f.get();
    BOOST_FAIL("no exception");
  } catch (const pgfns::error& e) {
    check_refusal(e);
  }
  runner.join();
}

BOOST_AUTO_TEST_CASE(callbacks_as_tuple_and_redirect_error_get_the_code_and_the_result) {
  run([](pgfns::database& db) -> asio::awaitable<void> {
    auto [ec, r] = co_await db.call("sum_two", 1, 2, asio::as_tuple(asio::deferred));
    BOOST_TEST(ec == pgfns::errc::not_started);
    BOOST_TEST(r.diag.method == "sum_two");
    error_code redirected;
    const pgfns::result r2 =
        co_await db.call("sum_two", 1, 2, asio::redirect_error(asio::use_awaitable, redirected));
    BOOST_TEST(redirected == pgfns::errc::not_started);
    BOOST_TEST(r2.diag.method == "sum_two");
    bool called = false;
    db.call("sum_two", 1, 2, [&](error_code code, pgfns::result r3) {
      called = true;
      BOOST_TEST(code == pgfns::errc::not_started);
      BOOST_TEST(r3.diag.method == "sum_two");
    });
    auto [ec4, r4] = co_await db.call("sum_two", 1, 2, asio::as_tuple(asio::use_awaitable));
    BOOST_TEST(ec4 == pgfns::errc::not_started);
    BOOST_TEST(called);
  });
}

BOOST_AUTO_TEST_SUITE_END()

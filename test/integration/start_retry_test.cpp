// Starting against a server that is not there yet: by default a clear error at once (naming
// the server, never the password); with start_retry_for the start waits and succeeds when the
// server comes up, or gives up with a clear error when it does not.
#include <pgfns/database.hpp>

#include "core_db.hpp"
#include "fault_load.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <thread>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::as_tuple;
using pgfns::test::run_coroutine;
using pgfns::test::sleep_for;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

namespace {

using pgfns::test::faults_cluster_fixture;
BOOST_TEST_GLOBAL_FIXTURE(faults_cluster_fixture);

pgfns::test::private_cluster& cluster() {
  return pgfns::test::faults_cluster();
}

constexpr const char* password = "s3cret-start-pw";

// The primary's URL with a password in it (the cluster trusts loopback, so it is ignored).
std::string url_with_password() {
  std::string url = cluster().primary_url();  // postgresql://postgres@127.0.0.1:PORT/postgres
  url.insert(url.find('@'), std::string(":") + password);
  return url;
}

// "127.0.0.1:PORT" of the primary.
std::string primary_address() {
  const std::string& url = cluster().primary_url();
  const auto at = url.find('@') + 1;
  return url.substr(at, url.rfind('/') - at);
}

pgfns::database_options options() {
  pgfns::database_options o;
  o.schema = pgfns::test::faults_schema();
  o.service = "faults";
  o.write_url = url_with_password();
  // No read server: with a standby that answers, a start without the primary succeeds for
  // reads (routing_cluster_test); these cases are about the write server's own start.
  return o;
}

struct primary_stopped {
  primary_stopped() { cluster().stop_node("primary"); }
  ~primary_stopped() { cluster().start_node("primary"); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(start_retry, primary_stopped)

BOOST_AUTO_TEST_CASE(without_retry_a_missing_server_is_a_clear_error_at_once) {
  run_coroutine([&](io_context& ioc) -> awaitable<void> {
    pgfns::database d(ioc.get_executor(), options());
    const auto t0 = steady_clock::now();
    auto [ec, diag] = co_await d.async_start(as_tuple);
    BOOST_TEST((steady_clock::now() - t0 < 3s));
    BOOST_TEST(ec == pgfns::errc::connect_failed);
    const std::string text = pgfns::format_error(ec, diag);
    BOOST_TEST(text.find(primary_address()) != std::string::npos, text);
    BOOST_TEST(text.find("Connection refused") != std::string::npos, text);
    BOOST_TEST(text.find(password) == std::string::npos, text);
    BOOST_TEST(diag.pool == "write");
  });
}

BOOST_AUTO_TEST_CASE(with_start_retry_for_the_start_waits_for_the_server) {
  run_coroutine([&](io_context& ioc) -> awaitable<void> {
    auto o = options();
    o.start_retry_for = 30s;
    pgfns::database d(ioc.get_executor(), o);
    std::optional<boost::system::error_code> started;
    pgfns::diagnostics diag;
    const auto t0 = steady_clock::now();
    d.async_start([&](boost::system::error_code ec, pgfns::diagnostics dg) {
      started = ec;
      diag = std::move(dg);
    });
    co_await sleep_for(1500ms);
    BOOST_TEST(!started.has_value());  // still waiting for the server
    co_await pgfns::test::meanwhile([] { cluster().start_node("primary"); });
    while (!started && steady_clock::now() - t0 < 25s) co_await sleep_for(20ms);
    BOOST_REQUIRE(started.has_value());
    BOOST_TEST(!*started, pgfns::format_error(*started, diag));
    BOOST_TEST((steady_clock::now() - t0 >= 1500ms));
    const pgfns::result r = co_await d.call("record_write", 1, false, 0.0);
    BOOST_TEST(r.diag.pool == "write");
  });
}

BOOST_AUTO_TEST_CASE(start_retry_for_ends_with_a_clear_error) {
  run_coroutine([&](io_context& ioc) -> awaitable<void> {
    auto o = options();
    o.start_retry_for = 1500ms;
    pgfns::database d(ioc.get_executor(), o);
    const auto t0 = steady_clock::now();
    auto [ec, diag] = co_await d.async_start(as_tuple);
    const auto took = steady_clock::now() - t0;
    BOOST_TEST(ec == pgfns::errc::connect_failed);
    BOOST_TEST((took >= 1000ms && took < 5s));
    const std::string text = pgfns::format_error(ec, diag);
    BOOST_TEST(text.find("after retrying for 1500 ms (start_retry_for)") != std::string::npos,
               text);
    BOOST_TEST(text.find(primary_address()) != std::string::npos, text);
    BOOST_TEST(text.find(password) == std::string::npos, text);
  });
}

BOOST_AUTO_TEST_CASE(closing_a_database_that_waits_to_start_ends_the_start) {
  run_coroutine([&](io_context& ioc) -> awaitable<void> {
    auto o = options();
    o.start_retry_for = 30s;
    pgfns::database d(ioc.get_executor(), o);
    std::optional<boost::system::error_code> started;
    d.async_start([&](boost::system::error_code ec, pgfns::diagnostics) { started = ec; });
    co_await sleep_for(500ms);
    d.close();
    while (!started) co_await sleep_for(10ms);
    BOOST_TEST(*started == pgfns::errc::shut_down);
  });
}

BOOST_AUTO_TEST_SUITE_END()

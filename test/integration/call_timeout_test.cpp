// call_timeout: a read still running at its deadline fails then; a write still running is
// cancelled on the server and reports what happened to it (nothing: call_timeout), or
// outcome_unknown when the server does not answer the cancel within cancel_grace; the
// connection is kept when the server answers. A call still waiting for a connection at its
// deadline fails and never reaches the server.
#include <pgfns/database.hpp>

#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <utility>
#include <vector>

#include <signal.h>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
using pgfns::test::core_database;
using pgfns::test::run_with_database;
using pgfns::test::sleep_for;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

namespace {

struct timeout_fixture {
  core_database db{"deadline"};

  pgfns::database_options options(std::chrono::milliseconds call_timeout) const {
    auto o = db.options();
    o.call_timeout = call_timeout;
    o.read_pool_size = 1;
    o.write_pool_size = 1;
    return o;
  }

  // The process id of this database's backend on the primary that runs `method`, waiting up
  // to 2 s for the call to reach it; 0 if none did.
  awaitable<int> backend_running(const std::string& method) const {
    for (int i = 0; i < 100; ++i) {
      const int pid = std::stoi(pgfns::test::query_value(
          db.scratch().write_url(),
          "select coalesce(max(pid), 0) from pg_stat_activity where datname = '" +
              db.scratch().name() + "' and query like 'select * from \"" + method + "\"%'"));
      if (pid != 0) co_return pid;
      co_await sleep_for(20ms);
    }
    co_return 0;
  }

  // Backends of this database on `url` still running `method`.
  int running(const std::string& url, const std::string& method) const {
    return std::stoi(pgfns::test::query_value(
        url, "select count(*) from pg_stat_activity where datname = '" + db.scratch().name() +
                 "' and state = 'active' and query like 'select * from \"" + method + "\"%'"));
  }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(call_timeout, timeout_fixture)

BOOST_AUTO_TEST_CASE(a_read_past_its_deadline_fails_then_and_its_connection_is_kept) {
  run_with_database(options(500ms), [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result before = co_await d.call("backend_pid");
    const auto t0 = steady_clock::now();
    auto [ec, r] = co_await d.call("sleep", 5.0, as_tuple);
    const auto took = steady_clock::now() - t0;
    BOOST_TEST(ec == pgfns::errc::call_timeout, pgfns::format_error(ec, r.diag));
    BOOST_TEST((took >= 500ms && took < 2s));
    BOOST_TEST(contains(r.diag.message, "deadline passed (call_timeout 500 ms)"), r.diag.message);
    BOOST_TEST(r.diag.pool == "read");
    const pgfns::result after = co_await d.call("backend_pid");
    BOOST_TEST(after[0].at("backend_pid") == before[0].at("backend_pid"));
    // The server was asked to stop: the 5 s sleep ends long before its time.
    bool stopped = false;
    for (int i = 0; i < 40 && !stopped; ++i) {
      stopped = running(db.scratch().read_url(), "sleep") == 0;
      if (!stopped) co_await sleep_for(50ms);
    }
    BOOST_TEST(stopped);
  });
}

BOOST_AUTO_TEST_CASE(a_write_past_its_deadline_is_cancelled_on_the_server_and_did_not_happen) {
  run_with_database(options(500ms), [&](pgfns::database& d) -> awaitable<void> {
    const auto t0 = steady_clock::now();
    auto [ec, r] = co_await d.call("slow_add_item", "late", 5.0, as_tuple);
    const auto took = steady_clock::now() - t0;
    BOOST_TEST(ec == pgfns::errc::call_timeout, pgfns::format_error(ec, r.diag));
    BOOST_TEST((took >= 500ms && took < 4s));
    BOOST_TEST(contains(r.diag.message, "deadline passed (call_timeout 500 ms)"), r.diag.message);
    BOOST_TEST(contains(r.diag.message, "did not happen"), r.diag.message);
    const pgfns::result again = co_await d.call("add_item", "in time");
    BOOST_TEST(again.size() == 1u);
  });
  BOOST_TEST(pgfns::test::query_value(db.scratch().write_url(),
                                      "select count(*) from items where name = 'late'") == "0");
}

// A server that does not answer the cancel (its backend stopped) cannot be trusted with the
// next call: the connection is closed after cancel_grace, and the write's outcome is unknown.
BOOST_AUTO_TEST_CASE(a_write_whose_cancel_goes_unanswered_has_an_unknown_outcome) {
  auto o = options(500ms);
  o.cancel_grace = 1000ms;
  run_with_database(o, [&](pgfns::database& d) -> awaitable<void> {
    std::optional<std::pair<boost::system::error_code, pgfns::result>> done;
    const auto t0 = steady_clock::now();
    d.call("slow_add_item", "frozen", 5.0,
           [&](boost::system::error_code ec, pgfns::result r) { done.emplace(ec, std::move(r)); });
    const int pid = co_await backend_running("slow_add_item");
    BOOST_REQUIRE(pid != 0);
    ::kill(pid, SIGSTOP);
    while (!done) co_await sleep_for(20ms);
    ::kill(pid, SIGCONT);
    const auto took = steady_clock::now() - t0;
    auto& [ec, r] = *done;
    BOOST_TEST(ec == pgfns::errc::outcome_unknown, pgfns::format_error(ec, r.diag));
    BOOST_TEST((took >= 1500ms && took < 10s));
    BOOST_TEST(contains(r.diag.message,
                        "the server did not answer the cancel request for slow_add_item (its "
                        "deadline passed) within 1000 ms"),
               r.diag.message);
    const pgfns::result again = co_await d.call("add_item", "after");  // a new connection
    BOOST_TEST(again.size() == 1u);
  });
}

BOOST_AUTO_TEST_CASE(a_call_queued_past_its_deadline_never_reaches_the_server) {
  // The blocker's backend is stopped before the queued call is made, so the blocker's own
  // deadline cannot free the connection early: its cancel stays unanswered (cancel_grace is
  // 5 s) until the queued call has failed, however slowly this process runs.
  auto o = options(3000ms);
  o.pipelining = false;  // one call per connection: the second waits for the first
  std::vector<int> attempts;
  o.monitor.on_call = [&](const pgfns::call_event& e) {
    if (e.method == "add_item") attempts.push_back(e.attempts);
  };
  run_with_database(o, [&](pgfns::database& d) -> awaitable<void> {
    co_await d.call("add_item", "warm-up");  // prepared and described: nothing left to wait for
    std::optional<boost::system::error_code> first;
    d.call("slow_add_item", "blocker", 30.0,
           [&](boost::system::error_code ec, pgfns::result) { first = ec; });
    const int pid = co_await backend_running("slow_add_item");
    BOOST_REQUIRE(pid != 0);
    ::kill(pid, SIGSTOP);
    auto [ec, r] = co_await d.call("add_item", "queued", as_tuple);
    ::kill(pid, SIGCONT);
    BOOST_TEST(ec == pgfns::errc::call_timeout, pgfns::format_error(ec, r.diag));
    BOOST_TEST(contains(r.diag.message, "waited for a connection of the write pool"),
               r.diag.message);
    BOOST_TEST(contains(r.diag.message, "it was not sent"), r.diag.message);
    while (!first) co_await sleep_for(10ms);
    BOOST_TEST(*first == pgfns::errc::call_timeout);  // cancelled on the server
    const pgfns::result later = co_await d.call("add_item", "later");
    BOOST_TEST(later.size() == 1u);
  });
  BOOST_TEST((attempts == std::vector<int>{1, 0, 1}));
  BOOST_TEST(pgfns::test::query_value(db.scratch().write_url(),
                                      "select count(*) from items where name = 'queued'") == "0");
}

BOOST_AUTO_TEST_CASE(no_deadline_when_call_timeout_is_zero) {
  run_with_database(options(0ms), [&](pgfns::database& d) -> awaitable<void> {
    auto [ec, r] = co_await d.call("sleep", 1.0, as_tuple);
    BOOST_TEST(!ec, pgfns::format_error(ec, r.diag));
  });
}

BOOST_AUTO_TEST_SUITE_END()

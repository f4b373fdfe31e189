// A backend killed (pg_terminate_backend) in the middle of a call: a read is retried once on
// another connection and succeeds; a write is reported as outcome_unknown, never retried.
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

struct loss_fixture {
  core_database db{"loss"};
  std::vector<pgfns::call_event> events;
  std::vector<std::string> event_methods;

  pgfns::database_options options() {
    auto o = db.options();
    o.monitor.on_call = [this](const pgfns::call_event& e) {
      events.push_back(e);
      event_methods.emplace_back(e.method);
    };
    return o;
  }

  // Terminates, on the server at `url`, the backends of this database running `method`.
  int kill(const std::string& url, const std::string& method) const {
    const auto n = pgfns::test::query_value(
        url, "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = '" +
                 db.scratch().name() + "' and query like 'select * from \"" + method +
                 "\"%' and pid <> pg_backend_pid()");
    return std::stoi(n);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(call_connection_loss, loss_fixture)

BOOST_AUTO_TEST_CASE(a_read_whose_backend_is_killed_is_retried_once) {
  run_with_database(options(), [&](pgfns::database& d) -> awaitable<void> {
    std::optional<boost::system::error_code> ec;
    d.call("sleep", 1.0, [&](boost::system::error_code e, pgfns::result) { ec = e; });
    co_await sleep_for(300ms);
    BOOST_TEST(kill(db.scratch().read_url(), "sleep") == 1);
    while (!ec) co_await sleep_for(10ms);
    BOOST_TEST(!*ec, ec->message());
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST(event_methods[0] == "sleep");
    BOOST_TEST(events[0].attempts == 2);
    BOOST_TEST(!events[0].ec);
    const pgfns::result after = co_await d.call("sum_two", 2, 3);
    BOOST_TEST(after[0].at("sum_two").as_int64() == 5);
  });
}

BOOST_AUTO_TEST_CASE(a_write_whose_backend_is_killed_has_an_unknown_outcome) {
  run_with_database(options(), [&](pgfns::database& d) -> awaitable<void> {
    std::optional<boost::system::error_code> ec;
    pgfns::result r;
    d.call("slow_add_item", "maybe", 1.0, [&](boost::system::error_code e, pgfns::result res) {
      ec = e;
      r = std::move(res);
    });
    co_await sleep_for(300ms);
    BOOST_TEST(kill(db.scratch().write_url(), "slow_add_item") == 1);
    while (!ec) co_await sleep_for(10ms);
    BOOST_TEST(*ec == pgfns::errc::outcome_unknown);
    BOOST_TEST(ec->message() == "connection lost, outcome unknown");
    BOOST_TEST(r.diag.sqlstate == "57P01");
    BOOST_TEST(r.diag.message.find("outcome unknown") != std::string::npos, r.diag.message);
    BOOST_TEST(r.diag.pool == "write");
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST(events[0].attempts == 1);  // never retried
    const pgfns::result again = co_await d.call("add_item", "surely");
    BOOST_TEST(again.size() == 1u);
  });
}

BOOST_AUTO_TEST_SUITE_END()

// Pipelined reads sharing a sync point (database_options::reads_per_sync): reads sent together
// on one connection run in one transaction of the server (transaction_started: the same
// instant for all of them), and with reads_per_sync = 1 each in its own. A read that fails
// gets its own error; the reads the server skipped after it are sent again and complete with
// their own results, in one attempt as their callers see it.
#include "call_outcome.hpp"
#include "core_db.hpp"

#include <pgfns/database.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <set>
#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::call_outcome;
using pgfns::test::core_database;
using pgfns::test::run_with_database;
using pgfns::test::wait_for;

namespace {

constexpr std::size_t burst = 16;

struct shared_sync_fixture {
  core_database db{"syncs"};

  // One read connection, so that every read of a burst goes to it.
  pgfns::database_options options(std::size_t reads_per_sync) const {
    auto o = db.options();
    o.read_pool_size = 1;
    o.pipeline_depth = burst;
    o.reads_per_sync = reads_per_sync;
    return o;
  }

  // The distinct transaction starts of `burst` reads sent at once.
  std::size_t transactions_of_a_burst(std::size_t reads_per_sync) const {
    std::set<std::string> starts;
    run_with_database(options(reads_per_sync), [&](pgfns::database& d) -> awaitable<void> {
      co_await d.call("transaction_started");  // prepared and described: one flight below
      std::array<call_outcome<>, burst> calls;
      for (auto& c : calls) d.call("transaction_started", c.handler());
      for (auto& c : calls) {
        co_await wait_for(c);
        BOOST_REQUIRE_MESSAGE(!*c.ec, c.text());
        starts.insert(boost::json::serialize(c.r[0].at("transaction_started")));
      }
    });
    return starts.size();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(shared_sync, shared_sync_fixture)

BOOST_AUTO_TEST_CASE(reads_sent_together_run_in_one_transaction) {
  BOOST_TEST(transactions_of_a_burst(burst) == 1u);
}

BOOST_AUTO_TEST_CASE(with_one_read_per_sync_point_each_runs_in_its_own) {
  BOOST_TEST(transactions_of_a_burst(1) == burst);
}

BOOST_AUTO_TEST_CASE(a_failing_read_fails_alone_and_the_skipped_reads_are_sent_again) {
  auto o = options(burst);
  std::vector<int> attempts;
  o.monitor.on_call = [&](const pgfns::call_event& e) {
    if (e.method == "sum_two") attempts.push_back(e.attempts);
  };
  run_with_database(o, [&](pgfns::database& d) -> awaitable<void> {
    co_await d.call("sum_two", 0, 0);
    auto [warm_ec, warm] = co_await d.call("fail_with", "22012", "warm-up", pgfns::test::as_tuple);
    BOOST_TEST(warm_ec == pgfns::make_sqlstate_error("22012"));
    attempts.clear();
    std::array<call_outcome<>, 12> sums;
    call_outcome<> failing;
    for (std::size_t i = 0; i < sums.size(); ++i) {
      if (i == 4) d.call("fail_with", "22012", "divided by zero", failing.handler());
      d.call("sum_two", static_cast<int>(i), 100, sums[i].handler());
    }
    co_await wait_for(failing);
    BOOST_TEST(*failing.ec == pgfns::make_sqlstate_error("22012"));
    BOOST_TEST(failing.r.diag.message == "divided by zero");
    for (std::size_t i = 0; i < sums.size(); ++i) {
      co_await wait_for(sums[i]);
      BOOST_REQUIRE_MESSAGE(!*sums[i].ec, sums[i].text());
      BOOST_TEST(sums[i].r[0].at("sum_two").as_int64() == static_cast<std::int64_t>(i + 100));
    }
  });
  BOOST_TEST(attempts == std::vector<int>(12, 1), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// A prepared statement the server no longer knows (26000) is prepared again and the call
// retried once, invisibly: nothing had run.
#include <pgfns/database.hpp>

#include "core_db.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using boost::asio::awaitable;
using pgfns::test::run_with_database;

BOOST_AUTO_TEST_SUITE(call_reprepare)

BOOST_AUTO_TEST_CASE(a_deallocated_statement_is_prepared_again) {
  pgfns::test::core_database db("reprepare");
  std::vector<int> attempts;
  auto options = db.options();
  options.read_pool_size = 1;
  options.monitor.on_call = [&](const pgfns::call_event& e) {
    if (e.method == "sum_two") attempts.push_back(e.attempts);
  };
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result pid = co_await d.call("backend_pid");
    const pgfns::result first = co_await d.call("sum_two", 1, 2);
    BOOST_TEST(first[0].at("sum_two").as_int64() == 3);
    co_await d.call("forget_statements");  // DEALLOCATE ALL on the only read connection
    const pgfns::result second = co_await d.call("sum_two", 3, 4);
    BOOST_TEST(second[0].at("sum_two").as_int64() == 7);
    const pgfns::result same = co_await d.call("backend_pid");  // (also prepared again)
    BOOST_TEST(same[0].at("backend_pid") == pid[0].at("backend_pid"));
    BOOST_TEST(d.stats(pgfns::pool_role::read).errors == 0u);
  });
  BOOST_TEST(attempts == (std::vector<int>{1, 2}), attempts.size());
}

BOOST_AUTO_TEST_SUITE_END()

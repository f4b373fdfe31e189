// What comes back when calls fail: SQLSTATEs with the server's words, argument mistakes,
// statement timeouts that leave the connection usable. Injection attempts: call_injection_test.
#include <pgfns/database.hpp>

#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
using pgfns::test::core_database;
using pgfns::test::run_with_database;

namespace {

struct errors_fixture {
  core_database db{"errors"};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(call_errors, errors_fixture)

// Refused before any SQL (that nothing reaches the server: call_injection_test).
BOOST_AUTO_TEST_CASE(wrong_argument_counts_are_refused_naming_the_parameters) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    for (int n : {0, 2, 3}) {
      boost::json::array args;
      for (int i = 0; i < n; ++i) args.push_back(i);
      auto [ec, r] = co_await d.call("get_item", args, as_tuple);
      BOOST_TEST(ec == pgfns::errc::bad_arguments, n);
      BOOST_TEST(r.diag.sqlstate.empty());
      BOOST_TEST(r.diag.message == "method \"get_item\" takes 1 argument (id_in integer), given " +
                                       std::to_string(n));
      BOOST_TEST(r.diag.method == "get_item");
    }
    try {
      co_await d.call("sum_two", 1);
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::errc::bad_arguments);
      const std::string what = e.what();
      BOOST_TEST(what.find("method \"sum_two\" takes 2 arguments (a_in integer, b_in integer), "
                           "given 1") != std::string::npos,
                 what);
    }
  });
}

BOOST_AUTO_TEST_CASE(raised_errors_keep_sqlstate_message_detail_and_hint) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    auto [ec, r] = co_await d.call("fail_with", "22023", "bad widget", as_tuple);
    BOOST_TEST(ec == pgfns::make_sqlstate_error("22023"));
    BOOST_TEST(r.diag.sqlstate == "22023");
    BOOST_TEST(r.diag.message == "bad widget");
    BOOST_TEST(r.diag.detail == "some detail");
    BOOST_TEST(r.diag.hint == "some hint");
    BOOST_TEST(r.diag.method == "fail_with");
    BOOST_TEST(r.diag.pool == "read");
    try {
      co_await d.call("fail_with", "23505", "duplicate widget");
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::make_sqlstate_error("23505"));
      const std::string what = e.what();
      BOOST_TEST(what.find("23505: duplicate widget (some detail) [hint: some hint]") == 0u, what);
    }
  });
}

BOOST_AUTO_TEST_CASE(named_arguments_are_passed_by_name) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const auto args = boost::json::parse(R"({"b_in": 40, "a_in": 2})").as_object();
    const pgfns::result r = co_await d.call("sum_two", args);
    BOOST_TEST(r[0].at("sum_two").as_int64() == 42);
    const auto unknown = boost::json::parse(R"({"a_in": 1, "c_in": 2})").as_object();
    auto [ec, bad] = co_await d.call("sum_two", unknown, as_tuple);
    BOOST_TEST(ec == pgfns::errc::bad_arguments);
    BOOST_TEST(bad.diag.message ==
               "method \"sum_two\" has no parameter \"c_in\" (its "
               "parameters: a_in integer, b_in integer)");
    const auto missing = boost::json::parse(R"({"b_in": 1})").as_object();
    auto [ec_missing, r_missing] = co_await d.call("sum_two", missing, as_tuple);
    BOOST_TEST(ec_missing == pgfns::errc::bad_arguments);
    BOOST_TEST(r_missing.diag.message.find("needs named argument a_in, which has no default") !=
               std::string::npos);
  });
}

BOOST_AUTO_TEST_CASE(values_postgres_cannot_hold_are_refused) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    auto [ec, r] = co_await d.call("add_item", std::string("nul\0byte", 8), as_tuple);
    BOOST_TEST(ec == pgfns::errc::bad_arguments);
    BOOST_TEST(r.diag.message.find("argument 1") == 0u, r.diag.message);
  });
}

BOOST_AUTO_TEST_CASE(void_methods_return_no_rows) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result r = co_await d.call("add_item_quietly", "quiet");
    BOOST_TEST(r.empty());
    BOOST_TEST(r.diag.pool == "write");
  });
}

BOOST_AUTO_TEST_CASE(a_statement_timeout_gives_57014_and_the_connection_is_reused) {
  auto options = db.options();
  options.statement_timeout = std::chrono::milliseconds(200);
  options.read_pool_size = 1;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result before = co_await d.call("backend_pid");
    auto [ec, r] = co_await d.call("sleep", 5.0, as_tuple);
    BOOST_TEST(ec == pgfns::make_sqlstate_error("57014"));
    BOOST_TEST(r.diag.message == "canceling statement due to statement timeout");
    const pgfns::result after = co_await d.call("backend_pid");
    BOOST_TEST(after[0].at("backend_pid") == before[0].at("backend_pid"));
    BOOST_TEST(d.stats(pgfns::pool_role::read).total == 1u);
    BOOST_TEST(d.stats(pgfns::pool_role::read).errors == 1u);
  });
}

BOOST_AUTO_TEST_SUITE_END()

// ignore_sqlstates with the server: a SQLSTATE chosen is an empty result, any other still fails.
#include <pgfns/database.hpp>
#include <pgfns/ignore_sqlstates.hpp>
#include <pgfns/sqlstate.hpp>

#include "core_db.hpp"

#include <boost/test/unit_test.hpp>

using boost::asio::awaitable;
using pgfns::test::core_database;
using pgfns::test::run_with_database;
namespace sqlstate = pgfns::sqlstate;

namespace {

struct ignore_fixture {
  core_database db{"ignore_sqlstates"};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(ignore_sqlstates, ignore_fixture)

BOOST_AUTO_TEST_CASE(a_unique_violation_chosen_is_an_empty_result) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result r = co_await pgfns::ignore_sqlstates(
        d.call("fail_with", "23505", "duplicate widget"), sqlstate::unique_violation);
    BOOST_TEST(r.empty());
    BOOST_TEST(r.diag.sqlstate == sqlstate::unique_violation);
    BOOST_TEST(r.diag.message == "duplicate widget");
    BOOST_TEST(r.diag.method == "fail_with");

    // One of several codes; a successful call passes through unchanged.
    const pgfns::result fk = co_await pgfns::ignore_sqlstates(
        d.call("fail_with", "23503", "no such widget"), sqlstate::unique_violation,
        sqlstate::foreign_key_violation);
    BOOST_TEST(fk.diag.sqlstate == "23503");
    const pgfns::result ok =
        co_await pgfns::ignore_sqlstates(d.call("sum_two", 40, 2), sqlstate::unique_violation);
    BOOST_TEST_REQUIRE(ok.size() == 1u);
    BOOST_TEST(ok[0].at("sum_two").as_int64() == 42);
    BOOST_TEST(ok.diag.sqlstate.empty());
  });
}

BOOST_AUTO_TEST_CASE(another_sqlstate_is_not_ignored) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    try {
      co_await pgfns::ignore_sqlstates(d.call("fail_with", "23514", "bad widget"),
                                       sqlstate::unique_violation);
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::make_sqlstate_error(sqlstate::check_violation));
      BOOST_TEST(e.diag().message == "bad widget");
    }
    // pgfns's own errors are never ignored, whatever the codes given.
    try {
      co_await pgfns::ignore_sqlstates(d.call("no_such_method"), sqlstate::unique_violation,
                                       sqlstate::undefined_function);
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::errc::unknown_method);
    }
  });
}

BOOST_AUTO_TEST_SUITE_END()

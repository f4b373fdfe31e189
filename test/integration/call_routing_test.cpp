// Where calls go and who may make them: reads on the standby, writes on the primary, the
// cross-service rules, deprecated methods, and the version check at start.
#include <pgfns/database.hpp>

#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::as_tuple;
using pgfns::test::core_database;
using pgfns::test::run_coroutine;
using pgfns::test::run_with_database;

namespace {

struct routing_fixture {
  core_database db{"routing"};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(call_routing, routing_fixture)

BOOST_AUTO_TEST_CASE(reads_run_on_the_standby_and_writes_on_the_primary) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result r = co_await d.call("server_info");
    const pgfns::result w = co_await d.call("server_info_write");
    BOOST_TEST(r.diag.pool == "read");
    BOOST_TEST(w.diag.pool == "write");
    BOOST_TEST(w[0].at("in_recovery").as_bool() == false);
    if (pgfns::test::has_standby()) {
      BOOST_TEST(r[0].at("in_recovery").as_bool() == true);
      BOOST_TEST(r[0].at("port").as_int64() != w[0].at("port").as_int64());
    }
  });
}

BOOST_AUTO_TEST_CASE(the_read_pool_is_read_only) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    auto [ec, r] = co_await d.call("sneaky_write", "nope", as_tuple);
    BOOST_TEST(ec == pgfns::make_sqlstate_error("25006"));
    BOOST_TEST(r.diag.sqlstate == "25006");
    BOOST_TEST(r.diag.message.find("read-only transaction") != std::string::npos);
  });
}

BOOST_AUTO_TEST_CASE(another_services_read_method_is_allowed) {
  run_with_database(db.options("shop"), [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result r = co_await d.call("audit_count");
    BOOST_TEST(r[0].at("audit_count").as_int64() == 0);
  });
}

BOOST_AUTO_TEST_CASE(another_services_write_method_is_refused_before_any_sql) {
  run_coroutine([&](io_context& ioc) -> awaitable<void> {
    pgfns::database shop(ioc.get_executor(), db.options("shop"));
    co_await shop.async_start();
    auto [ec, r] = co_await shop.call("audit_note", "from shop", as_tuple);
    BOOST_TEST(ec == pgfns::errc::wrong_service);
    BOOST_TEST(r.diag.pool.empty());  // never reached a pool
    BOOST_TEST(r.diag.method == "audit_note");
    BOOST_TEST(r.diag.message.find("service \"audit\"") != std::string::npos);
    const pgfns::result count = co_await shop.call("audit_count");
    BOOST_TEST(count[0].at("audit_count").as_int64() == 0);
    BOOST_TEST(shop.stats(pgfns::pool_role::write).calls == 0u);

    pgfns::database audit(ioc.get_executor(), db.options("audit"));
    co_await audit.async_start();
    co_await audit.call("audit_note", "from audit");
    const pgfns::result after = co_await audit.call("audit_count", boost::asio::deferred);
    BOOST_TEST(after.diag.pool == "read");
  });
}

BOOST_AUTO_TEST_CASE(unknown_methods_are_refused) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    auto [ec, r] = co_await d.call("no_such_method", 1, as_tuple);
    BOOST_TEST(ec == pgfns::errc::unknown_method);
    BOOST_TEST(r.diag.message == "no method \"no_such_method\" in the schema (version 2)");
    try {
      co_await d.call("no_such_method");
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::errc::unknown_method);
      BOOST_TEST(e.diag().method == "no_such_method");
    }
  });
}

BOOST_AUTO_TEST_CASE(deprecated_methods_need_call_deprecated) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result added = co_await d.call("add_item", "widget");
    const auto id = added[0].at("id").as_int64();
    db.scratch().wait_for_standby();  // the read goes to the standby
    auto [ec, r] = co_await d.call("old_get_item", id, as_tuple);
    BOOST_TEST(ec == pgfns::errc::deprecated_method);
    const pgfns::result old = co_await d.call_deprecated("old_get_item", id);
    BOOST_TEST(old[0].at("name").as_string() == "widget");
  });
}

BOOST_AUTO_TEST_CASE(a_database_older_than_the_schema_is_refused) {
  core_database old("routing_old", 1);
  run_coroutine([&](io_context& ioc) -> awaitable<void> {
    pgfns::database d(ioc.get_executor(), old.options());
    auto [ec, diag] = co_await d.async_start(as_tuple);
    BOOST_TEST(ec == pgfns::errc::database_too_old);
    BOOST_TEST(diag.message ==
               "database version 1 is older than schema version 2; upgrade the database first");
    BOOST_TEST(diag.pool == "write");
    auto [call_ec, r] = co_await d.call("count_items", as_tuple);
    BOOST_TEST(call_ec == pgfns::errc::not_started);
  });
}

BOOST_AUTO_TEST_CASE(a_database_without_tcversion_is_version_zero) {
  pgfns::test::scratch_database empty("routing_empty");
  run_coroutine([&](io_context& ioc) -> awaitable<void> {
    auto options = db.options();
    options.write_url = options.read_url = empty.write_url();
    pgfns::database d(ioc.get_executor(), options);
    try {
      co_await d.async_start();
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::errc::database_too_old);
      BOOST_TEST(e.diag().message.find("database version 0 ") == 0u);
    }
  });
}

BOOST_AUTO_TEST_CASE(a_database_newer_than_the_schema_is_accepted) {
  core_database newer("routing_newer");
  newer.scratch().exec("update tcversion set version = 9");
  newer.scratch().wait_for_standby();
  run_with_database(newer.options(), [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result r = co_await d.call("count_items");
    BOOST_TEST(r[0].at("count_items").as_int64() == 0);
  });
}

BOOST_AUTO_TEST_SUITE_END()

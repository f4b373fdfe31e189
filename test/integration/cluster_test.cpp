// Proves the integration-test harness: the primary, the hot standby, replication, and
// scratch databases (test/support/pg_test.hpp).
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "pg_test.hpp"

namespace pt = pgfns::test;

namespace {

bool database_exists(const std::string& name) {
  return pt::query_value(pt::server().primary,
                         "select count(*) from pg_database where datname = '" + name + "'") == "1";
}

void note_no_standby() {
  BOOST_TEST_MESSAGE(
      "no standby configured (PGFNS_TEST_DB_URL without PGFNS_TEST_READ_URL): "
      "standby checks skipped");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster)

BOOST_AUTO_TEST_CASE(primary_is_not_in_recovery) {
  BOOST_TEST(pt::query_value(pt::server().primary, "select pg_is_in_recovery()") == "f");
}

BOOST_AUTO_TEST_CASE(standby_is_in_recovery) {
  if (!pt::has_standby()) return note_no_standby();
  BOOST_TEST(pt::query_value(pt::server().standby, "select pg_is_in_recovery()") == "t");
}

BOOST_AUTO_TEST_CASE(urls_name_the_scratch_database) {
  const pt::scratch_database db("urls");
  BOOST_TEST(pt::query_value(db.write_url(), "select current_database()") == db.name());
  BOOST_TEST(pt::query_value(db.write_url(), "select pg_is_in_recovery()") == "f");
  db.wait_for_standby();
  BOOST_TEST(pt::query_value(db.read_url(), "select current_database()") == db.name());
  // A URL with a query string keeps its parameters and still gets the new database.
  const auto with_query = pt::url_with_database(
      pt::server().primary + "?application_name=pgfns_cluster_test", db.name());
  BOOST_TEST(pt::query_value(with_query, "select current_database()") == db.name());
  BOOST_TEST(pt::query_value(with_query, "select current_setting('application_name')") ==
             "pgfns_cluster_test");
}

BOOST_AUTO_TEST_CASE(rows_written_on_the_primary_are_read_on_the_standby) {
  const pt::scratch_database db("replication");
  if (!pt::has_standby())
    note_no_standby();
  else
    BOOST_TEST(pt::query_value(db.read_url(), "select pg_is_in_recovery()") == "t");
  db.exec("create table marker (id int primary key, note text not null)");
  // Each row must be visible right after wait_for_standby, with no other delay.
  for (int i = 1; i <= 20; ++i) {
    const auto id = std::to_string(i);
    db.exec("insert into marker values (" + id + ", 'row " + id + "')");
    db.wait_for_standby();
    BOOST_TEST(pt::query_value(db.read_url(), "select note from marker where id = " + id) ==
               "row " + id);
  }
  BOOST_TEST(pt::query_value(db.read_url(), "select count(*) from marker") == "20");
}

BOOST_AUTO_TEST_CASE(writes_on_the_standby_fail_with_25006) {
  if (!pt::has_standby()) return note_no_standby();
  const pt::scratch_database db("readonly");
  db.exec("create table t (id int)");
  db.wait_for_standby();
  BOOST_CHECK_EXCEPTION(pt::query(db.read_url(), "insert into t values (1)"), pt::sql_error,
                        [](const pt::sql_error& e) { return e.sqlstate() == "25006"; });
  BOOST_TEST(pt::query_value(db.write_url(), "select count(*) from t") == "0");
}

BOOST_AUTO_TEST_CASE(scratch_databases_are_distinct_and_dropped) {
  std::string first, second;
  {
    const pt::scratch_database a("Distinct Label"), b("Distinct Label");
    first = a.name();
    second = b.name();
    BOOST_TEST(first != second);
    BOOST_TEST(first.find("distinct_label") != std::string::npos);
    BOOST_TEST(database_exists(first));
    BOOST_TEST(database_exists(second));
    a.exec("create table only_in_a (id int)");
    BOOST_TEST(pt::query_value(a.write_url(), "select to_regclass('only_in_a') is not null") ==
               "t");
    BOOST_TEST(pt::query_value(b.write_url(), "select to_regclass('only_in_a') is null") == "t");
  }
  BOOST_TEST(!database_exists(first));
  BOOST_TEST(!database_exists(second));
}

BOOST_AUTO_TEST_CASE(a_scratch_database_in_use_is_dropped) {
  std::string name, outcome = "not run";
  {
    std::jthread session;  // declared first: joined after the database is dropped
    const pt::scratch_database db("busy");
    name = db.name();
    session = std::jthread([url = db.write_url(), &outcome] {
      try {
        pt::query(url, "select pg_sleep(60)");
        outcome = "finished";
      } catch (const pt::sql_error& e) {
        outcome = e.sqlstate();
      }
    });
    const auto active = "select count(*) from pg_stat_activity where datname = '" + name +
                        "' and query like 'select pg_sleep%'";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (pt::query_value(pt::server().primary, active) != "1") {
      BOOST_TEST_REQUIRE((std::chrono::steady_clock::now() < deadline),
                         "the session never started its query");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  BOOST_TEST(outcome == "57P01");  // terminated by `drop database ... with (force)`
  BOOST_TEST(!database_exists(name));
}

BOOST_AUTO_TEST_CASE(errors_carry_the_sqlstate) {
  const pt::scratch_database db("errors");
  BOOST_CHECK_EXCEPTION(db.exec("select * from no_such_table"), pt::sql_error,
                        [](const pt::sql_error& e) {
                          return e.sqlstate() == "42P01" &&
                                 std::string(e.what()).find("no_such_table") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_SUITE_END()

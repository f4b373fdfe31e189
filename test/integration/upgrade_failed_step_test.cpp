// A version whose migration script fails leaves the database exactly at the previous
// version: Taskcluster's db-with-ext-files fixture (file name fixed in a temporary copy) has
// an SQL typo in version 2.
#include "upgrade_test.hpp"

#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <filesystem>

using namespace pgfns;
using namespace pgfns::test;

BOOST_AUTO_TEST_SUITE(upgrade_failed_step)

BOOST_AUTO_TEST_CASE(stays_at_version_1_with_its_functions, *pgfns::test::needs_shared()) {
  temp_tree copy(taskcluster_fixture("db-with-ext-files"));
  const auto versions = copy.path() / "versions";
  std::filesystem::rename(versions / "0002-lits-secrets.sql", versions / "0002-list-secrets.sql");
  const auto s = schema::from_db_directory(copy.path());
  BOOST_REQUIRE(s.latest_version() == 2);

  service_roles roles("fail");
  scratch_database db("fail");
  try {
    upgrade(s, options_for(db, roles.prefix()));
    BOOST_FAIL("upgrading through version 2's typo succeeded");
  } catch (const upgrade_error& e) {
    const std::string what = e.what();
    BOOST_TEST_MESSAGE(what);
    BOOST_TEST(e.version() == 2);
    BOOST_TEST(e.sqlstate() == "42601");
    BOOST_TEST(what.find("version 2: migration script failed at line 3") != std::string::npos);
    BOOST_TEST(what.find("syntax error at or near \"defeault\"") != std::string::npos);
  }

  BOOST_TEST(db_version(db.write_url()) == 1);
  db.exec("insert into secrets (name, secret) values ('k', 'v')");
  BOOST_TEST(query_value(db.write_url(), "select secret from get_secret('k')") == "v");
  BOOST_TEST(query_value(db.write_url(),
                         "select count(*) from pg_proc where proname = 'list_secrets'") == "0");
  BOOST_TEST(query_value(db.write_url(),
                         "select count(*) from information_schema.columns where "
                         "table_name = 'secrets' and column_name = 'expires'") == "0");
  BOOST_TEST(query_value(db.write_url(),
                         "select string_agg(version::text, ',') from "
                         "tcversion_history") == "1");
}

BOOST_AUTO_TEST_SUITE_END()

// url_with_database (test/support/pg_test.hpp) on every URL shape libpq accepts.
#include <boost/test/unit_test.hpp>

#include "pg_test.hpp"

using pgfns::test::url_with_database;

BOOST_AUTO_TEST_SUITE(pg_test_urls)

BOOST_AUTO_TEST_CASE(replaces_the_path) {
  BOOST_TEST(url_with_database("postgresql://postgres@127.0.0.1:5432/postgres", "db1") ==
             "postgresql://postgres@127.0.0.1:5432/db1");
  BOOST_TEST(url_with_database("postgres://u:p@h/postgres", "db1") == "postgres://u:p@h/db1");
}

BOOST_AUTO_TEST_CASE(adds_a_missing_path) {
  BOOST_TEST(url_with_database("postgresql://h:5432", "db1") == "postgresql://h:5432/db1");
  BOOST_TEST(url_with_database("postgresql://", "db1") == "postgresql:///db1");
  BOOST_TEST(url_with_database("postgresql://[::1]:5432", "db1") == "postgresql://[::1]:5432/db1");
}

BOOST_AUTO_TEST_CASE(keeps_the_query_but_drops_a_dbname_parameter) {
  BOOST_TEST(url_with_database("postgresql://h/old?sslmode=disable&application_name=x", "db1") ==
             "postgresql://h/db1?sslmode=disable&application_name=x");
  BOOST_TEST(url_with_database("postgresql://h?dbname=old&sslmode=disable", "db1") ==
             "postgresql://h/db1?sslmode=disable");
  BOOST_TEST(url_with_database("postgresql://h/old?dbname=old", "db1") == "postgresql://h/db1");
}

BOOST_AUTO_TEST_CASE(percent_encodes_the_name) {
  BOOST_TEST(url_with_database("postgresql://h/x", "a b/c") == "postgresql://h/a%20b%2Fc");
}

BOOST_AUTO_TEST_CASE(appends_to_keyword_strings) {
  BOOST_TEST(url_with_database("host=h dbname=old", "db1") == "host=h dbname=old dbname='db1'");
  BOOST_TEST(url_with_database("host=h", "it's") == "host=h dbname='it\\'s'");
}

BOOST_AUTO_TEST_SUITE_END()

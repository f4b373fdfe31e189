// The table check compares the tables of schema public with tables.yml and catches, each on
// its own: a missing column, an extra column, a changed type and a changed nullability.
#include "upgrade_test.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgfns;
using namespace pgfns::test;

namespace {

struct upgraded {
  service_roles roles{"tables"};
  scratch_database db{"tables"};
  schema s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));

  upgraded() { upgrade(s, options_for(db, roles.prefix())); }
  std::vector<std::string> problems() const { return check_tables(db.write_url(), s); }
  void expect(const std::string& problem) const {
    const std::vector<std::string> expected{problem};
    BOOST_TEST(problems() == expected, boost::test_tools::per_element());
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(table_check)

BOOST_FIXTURE_TEST_CASE(a_fresh_upgrade_matches_tables_yml, upgraded) {
  BOOST_TEST(problems().empty());
}

BOOST_FIXTURE_TEST_CASE(catches_a_missing_column, upgraded) {
  db.exec("alter table widgets drop column size");
  expect("missing column: widgets.size (integer)");
}

BOOST_FIXTURE_TEST_CASE(catches_an_extra_column, upgraded) {
  db.exec("alter table widgets add column weight numeric(8,2)");
  expect("extra column: widgets.weight (numeric(8,2))");
}

BOOST_FIXTURE_TEST_CASE(catches_a_changed_type, upgraded) {
  db.exec("alter table widgets alter column size type bigint");
  expect("changed type: widgets.size is bigint, tables.yml says integer");
}

BOOST_FIXTURE_TEST_CASE(catches_a_changed_nullability, upgraded) {
  db.exec("alter table widgets alter column name drop not null");
  expect("changed nullability: widgets.name is nullable, tables.yml says not null");
}

BOOST_FIXTURE_TEST_CASE(catches_missing_and_extra_tables, upgraded) {
  db.exec("alter table widgets rename to gadgets");
  const std::vector<std::string> expected{"missing table: widgets", "extra table: gadgets"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// pgfns records a checksum of every applied version and refuses to upgrade when the schema's
// definition of an applied version changed; the record never trips the table check.
#include "upgrade_test.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgfns;
using namespace pgfns::test;

namespace {

struct history {
  service_roles roles{"hist"};
  scratch_database db{"hist"};
  temp_tree tree{own_fixture("upgrade-lifecycle")};

  schema load() const { return schema::from_db_directory(tree.path()); }
  upgrade_options to(int target) const {
    auto o = options_for(db, roles.prefix());
    o.target = target;
    return o;
  }
  std::string recorded() const {
    return query_value(db.write_url(),
                       "select coalesce(string_agg(version::text, ',' order by version), '') "
                       "from tcversion_history");
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(upgrade_history)

BOOST_FIXTURE_TEST_CASE(an_edited_applied_version_is_refused, history) {
  upgrade(load(), to(2));
  BOOST_TEST(recorded() == "1,2");

  replace_in_file(tree.path() / "versions/0001.yml", "'$pgfns$ v1'", "'$pgfns$ v1 edited'");
  try {
    upgrade(load(), to(3));
    BOOST_FAIL("an edited version 1 went unnoticed");
  } catch (const upgrade_error& e) {
    BOOST_TEST_MESSAGE(e.what());
    BOOST_TEST(e.version() == 1);
    BOOST_REQUIRE(e.problems().size() == 1u);
    BOOST_TEST(e.problems()[0].find("version 1") != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("version(s) 1 was edited") != std::string::npos);
  }
  BOOST_TEST(db_version(db.write_url()) == 2);
  // The dry run refuses just the same.
  BOOST_CHECK_THROW(plan_upgrade(load(), to(3)), upgrade_error);
}

BOOST_FIXTURE_TEST_CASE(editing_a_description_is_allowed, history) {
  upgrade(load(), to(2));
  replace_in_file(tree.path() / "versions/0002.yml", "description: widget colours",
                  "description: widget colours, described better");
  replace_in_file(tree.path() / "versions/0001.yml", "description: Adds a widget.",
                  "description: Adds one widget.");
  upgrade(load(), to(3));
  BOOST_TEST(db_version(db.write_url()) == 3);
}

BOOST_FIXTURE_TEST_CASE(downgrade_forgets_undone_versions, history) {
  upgrade(load(), to(3));
  BOOST_TEST(recorded() == "1,2,3");
  downgrade(load(), to(1));
  BOOST_TEST(recorded() == "1");
  // An undone version may be rewritten before it is applied again.
  replace_in_file(tree.path() / "versions/0002.yml", "' v2'", "' v2 rewritten'");
  upgrade(load(), to(2));
  BOOST_TEST(query_value(db.write_url(), "select widget_label('a')") == "a v2 rewritten");
}

BOOST_FIXTURE_TEST_CASE(versions_applied_without_history_are_adopted, history) {
  upgrade(load(), to(2));
  db.exec("drop table tcversion_history");
  upgrade(load(), to(3));
  BOOST_TEST(recorded() == "1,2,3");
}

BOOST_FIXTURE_TEST_CASE(the_record_does_not_trip_the_checks, history) {
  upgrade(load(), options_for(db, roles.prefix()));  // latest version: runs the checks
  BOOST_TEST(check_database(db.write_url(), load(), roles.prefix()).empty());
}

BOOST_AUTO_TEST_SUITE_END()

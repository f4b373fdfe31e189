// The permission check compares each service user's privileges with access.yml and catches,
// each on its own: an extra grant, a missing grant, a SUPERUSER service user and a role
// membership. Fixture: upgrade-lifecycle (maker writes widgets, viewer reads them).
#include "upgrade_test.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgfns;
using namespace pgfns::test;

namespace {

struct upgraded {
  service_roles roles{"acl"};
  scratch_database db{"acl"};
  schema s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  std::string maker = roles.prefix() + "_maker";
  std::string viewer = roles.prefix() + "_viewer";

  upgraded() { upgrade(s, options_for(db, roles.prefix())); }
  std::vector<std::string> problems() const {
    return check_grants(db.write_url(), s, roles.prefix());
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(access_check)

BOOST_FIXTURE_TEST_CASE(a_fresh_upgrade_matches_access_yml, upgraded) {
  BOOST_TEST(problems().empty());
}

BOOST_FIXTURE_TEST_CASE(catches_an_extra_grant, upgraded) {
  db.exec("grant insert on widgets to " + viewer);
  const std::vector<std::string> expected{"unexpected grant: " + viewer + ": INSERT on widgets"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(catches_a_grant_to_public, upgraded) {
  db.exec("grant select on widgets to public");
  const std::vector<std::string> expected{"unexpected grant: PUBLIC: SELECT on widgets"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(catches_a_missing_grant, upgraded) {
  db.exec("revoke delete on widgets from " + maker);
  const std::vector<std::string> expected{"missing grant: " + maker + ": DELETE on widgets"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(catches_a_superuser_service_user, upgraded) {
  db.exec("alter role " + viewer + " superuser");
  const std::vector<std::string> expected{viewer + " has attribute SUPERUSER"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(catches_other_dangerous_attributes, upgraded) {
  db.exec("alter role " + maker + " createrole createdb replication");
  const std::vector<std::string> expected{maker + " has attribute CREATEROLE",
                                          maker + " has attribute CREATEDB",
                                          maker + " has attribute REPLICATION"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(catches_a_role_membership, upgraded) {
  const std::string other = roles.prefix() + "_other";
  db.exec("create role " + other + "; grant " + other + " to " + viewer);
  const std::vector<std::string> expected{viewer + " is a member of role " + other};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(catches_a_column_grant, upgraded) {
  db.exec("grant update (colour) on widgets to " + viewer);
  const std::vector<std::string> expected{"unexpected column grant: " + viewer +
                                          ": UPDATE on widgets(colour)"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(the_upgrade_itself_fails_on_a_mismatch, upgraded) {
  db.exec("grant truncate on widgets to " + maker);
  try {
    upgrade(s, options_for(db, roles.prefix()));
    BOOST_FAIL("the upgrade ignored an unexpected grant");
  } catch (const upgrade_error& e) {
    const std::vector<std::string> expected{"unexpected grant: " + maker + ": TRUNCATE on widgets"};
    BOOST_TEST(e.problems() == expected, boost::test_tools::per_element());
  }
  auto skipping = options_for(db, roles.prefix());
  skipping.skip_checks = true;
  BOOST_CHECK_NO_THROW(upgrade(s, skipping));
}

BOOST_AUTO_TEST_SUITE_END()

// Service users: created on request with LOGIN and no dangerous attributes, demanded
// otherwise, and granted the baseline privileges.
#include "upgrade_test.hpp"

#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgfns;
using namespace pgfns::test;

BOOST_AUTO_TEST_SUITE(upgrade_users)

BOOST_AUTO_TEST_CASE(create_users_makes_plain_login_roles) {
  const auto s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  service_roles roles("users");
  scratch_database db("users");
  std::vector<progress_event> events;
  const auto plan = upgrade(s, options_for(db, roles.prefix(), &events));
  const std::vector<std::string> users{roles.prefix() + "_maker", roles.prefix() + "_viewer"};
  BOOST_TEST(plan.create_users == users, boost::test_tools::per_element());
  for (const auto& user : users) {
    BOOST_TEST(query_value(db.write_url(),
                           "select concat_ws(',', rolcanlogin, rolsuper, rolcreaterole, "
                           "rolcreatedb, rolreplication, rolbypassrls) from pg_roles "
                           "where rolname = '" +
                               user + "'") == "t,f,f,f,f,f");
    BOOST_TEST(query_value(db.write_url(), "select has_table_privilege('" + user +
                                               "', 'tcversion', 'select') and "
                                               "has_schema_privilege('" +
                                               user + "', 'public', 'usage')") == "t");
  }
}

BOOST_AUTO_TEST_CASE(missing_users_are_named_without_create_users) {
  const auto s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  service_roles roles("nousers");
  scratch_database db("nousers");
  auto o = options_for(db, roles.prefix());
  o.create_users = false;
  try {
    upgrade(s, o);
    BOOST_FAIL("upgraded without service users");
  } catch (const upgrade_error& e) {
    BOOST_TEST(std::string(e.what()).find("--create-users") != std::string::npos);
    const std::vector<std::string> missing{roles.prefix() + "_maker", roles.prefix() + "_viewer"};
    BOOST_TEST(e.problems() == missing, boost::test_tools::per_element());
  }
  BOOST_TEST(db_version(db.write_url()) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// --dry-run: the plan lists versions, scripts (prefix substituted) and functions defined or
// dropped, and nothing in the database changes.
#include "upgrade_test.hpp"

#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgfns;
using namespace pgfns::test;

namespace {

struct dry {
  service_roles roles{"dry"};
  scratch_database db{"dry"};
  schema s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));

  // Everything a real run would change: relations, functions, roles of this prefix.
  std::string snapshot() const {
    return query_value(db.write_url(),
                       "select (select count(*) from pg_class c join pg_namespace n on "
                       "n.oid = c.relnamespace where n.nspname = 'public') || '/' || "
                       "(select count(*) from pg_proc where pronamespace = 'public'::regnamespace)"
                       " || '/' || (select count(*) from pg_extension) || '/' || "
                       "(select count(*) from pg_roles where starts_with(rolname, '" +
                           roles.prefix() + "'))");
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(upgrade_dry_run)

BOOST_FIXTURE_TEST_CASE(an_upgrade_plan_changes_nothing, dry) {
  const auto before = snapshot();
  auto o = options_for(db, roles.prefix());
  o.dry_run = true;
  const auto plan = upgrade(s, o);
  BOOST_TEST(snapshot() == before);
  BOOST_TEST(db_version(db.write_url()) == 0);

  BOOST_TEST(plan.from_version == 0);
  BOOST_TEST(plan.to_version == 3);
  BOOST_REQUIRE(plan.steps.size() == 3u);
  BOOST_TEST(plan.create_users.size() == 2u);
  const auto text = to_string(plan);
  BOOST_TEST_MESSAGE(text);
  BOOST_TEST(text.find("create user " + roles.prefix() + "_maker") != std::string::npos);
  BOOST_TEST(text.find("upgrade to version 2: widget colours") != std::string::npos);
  BOOST_TEST(text.find("grant select on widgets to " + roles.prefix() + "_viewer;") !=
             std::string::npos);
  BOOST_TEST(text.find("define widget_colour(name_in text) returns text") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_downgrade_plan_changes_nothing, dry) {
  upgrade(s, options_for(db, roles.prefix()));
  const auto before = snapshot();
  auto o = options_for(db, roles.prefix());
  o.dry_run = true;
  o.target = 1;
  const auto text = to_string(downgrade(s, o));
  BOOST_TEST_MESSAGE(text);
  BOOST_TEST(snapshot() == before);
  BOOST_TEST(db_version(db.write_url()) == 3);
  BOOST_TEST(text.find("downgrade version 3") < text.find("downgrade version 2"));
  BOOST_TEST(text.find("define widget_colour(name_in text) returns text (as of version 2)") !=
             std::string::npos);
  BOOST_TEST(text.find("drop widget_colour(name_in text)") != std::string::npos);
  BOOST_TEST(text.find("alter table widgets drop column colour;") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

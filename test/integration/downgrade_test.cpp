// Downgrades restore each method from its newest definition below the undone version (a
// stub resolves to the body it deprecated), drop methods that did not exist yet, and refuse
// a database newer than the schema.
#include "upgrade_test.hpp"

#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgfns;
using namespace pgfns::test;

namespace {

struct lifecycle {
  service_roles roles{"down"};
  scratch_database db{"down"};
  schema s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));

  upgrade_options to(int target) const {
    auto o = options_for(db, roles.prefix());
    o.target = target;
    return o;
  }
  std::string call(const std::string& sql) const { return query_value(db.write_url(), sql); }
  bool function_exists(const std::string& name) const {
    return call("select count(*) from pg_proc where proname = '" + name + "'") == "1";
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(downgrade_methods)

BOOST_FIXTURE_TEST_CASE(each_step_restores_the_previous_definitions, lifecycle) {
  upgrade(s, to(3));
  db.exec("select add_widget('w', 1); update widgets set colour = 'red'");
  BOOST_TEST(call("select widget_colour('w')") == "red v3");
  BOOST_TEST(call("select widget_label('w')") == "w v2");  // v3 only deprecated it

  std::vector<progress_event> events;
  auto o = options_for(db, roles.prefix(), &events);
  o.target = 2;
  downgrade(s, o);
  BOOST_TEST(db_version(db.write_url()) == 2);
  BOOST_TEST(call("select widget_colour('w')") == "red v2");
  BOOST_TEST(call("select widget_label('w')") == "w v2");
  BOOST_REQUIRE(events.size() == 1u);
  BOOST_TEST((events[0].what == progress_event::kind::downgraded));
  BOOST_TEST(events[0].version == 3);

  downgrade(s, to(1));
  BOOST_TEST(db_version(db.write_url()) == 1);
  // The v1 body survives quoting although it contains both $$ and $pgfns$.
  BOOST_TEST(call("select widget_label('w')") == "$$w$pgfns$ v1");
  BOOST_TEST(!function_exists("widget_colour"));
  BOOST_TEST(call("select count(*) from information_schema.columns where table_name = 'widgets' "
                  "and column_name = 'colour'") == "0");

  downgrade(s, to(0));
  BOOST_TEST(db_version(db.write_url()) == 0);
  BOOST_TEST(call("select to_regclass('widgets') is null") == "t");
}

BOOST_FIXTURE_TEST_CASE(upgrading_again_after_a_downgrade_works, lifecycle) {
  upgrade(s, to(3));
  downgrade(s, to(0));
  upgrade(s, to(3));
  BOOST_TEST(db_version(db.write_url()) == 3);
  db.exec("select add_widget('x', 2)");
  BOOST_TEST(call("select widget_label('x')") == "x v2");
}

BOOST_FIXTURE_TEST_CASE(refuses_a_database_newer_than_the_schema, lifecycle) {
  upgrade(s, to(3));
  db.exec("update tcversion set version = 4");
  try {
    downgrade(s, to(1));
    BOOST_FAIL("downgrade of a version-4 database with a 3-version schema succeeded");
  } catch (const upgrade_error& e) {
    BOOST_TEST(e.version() == 4);
    BOOST_TEST(std::string(e.what()).find("newer than this schema's latest version 3") !=
               std::string::npos);
  }
  BOOST_TEST(db_version(db.write_url()) == 4);
  BOOST_CHECK_THROW(upgrade(s, to(3)), upgrade_error);
}

BOOST_FIXTURE_TEST_CASE(refuses_a_target_above_the_database, lifecycle) {
  upgrade(s, to(1));
  BOOST_CHECK_THROW(downgrade(s, to(2)), upgrade_error);
  auto no_target = to(0);
  no_target.target.reset();
  BOOST_CHECK_THROW(downgrade(s, no_target), upgrade_error);
  BOOST_TEST(db_version(db.write_url()) == 1);
}

BOOST_AUTO_TEST_SUITE_END()

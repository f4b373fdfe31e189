// plan_steps(): which scripts and function definitions each version step carries, in both
// directions, computed from the schema alone.
#include "schema_test_paths.hpp"

#include <pgfns/migration_plan.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgfns;
using namespace pgfns::test;

namespace {

std::vector<std::string> names(const std::vector<function_definition>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs) out.push_back(f.name + "@" + std::to_string(f.defined_in));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(migration_plan_steps)

BOOST_AUTO_TEST_CASE(upgrade_steps_define_each_versions_non_stub_methods) {
  const auto s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  const auto steps = plan_steps(s, 0, 3, "pre");
  BOOST_REQUIRE(steps.size() == 3u);
  BOOST_TEST(steps[0].version == 1);
  BOOST_TEST(!steps[0].downgrade);
  BOOST_REQUIRE(steps[0].script.has_value());
  BOOST_TEST(steps[0].script->find("to pre_maker;") != std::string::npos);
  BOOST_TEST(steps[0].script->find("$db_user_prefix$") == std::string::npos);
  const std::vector<std::string> v1{"add_widget@1", "widget_label@1"};
  BOOST_TEST(names(steps[0].define) == v1, boost::test_tools::per_element());
  // Version 3 has no scripts and only stubs widget_label.
  BOOST_TEST(!steps[2].script.has_value());
  const std::vector<std::string> v3{"widget_colour@3"};
  BOOST_TEST(names(steps[2].define) == v3, boost::test_tools::per_element());
  BOOST_TEST(steps[2].version_after() == 3);
}

BOOST_AUTO_TEST_CASE(downgrade_steps_restore_or_drop) {
  const auto s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  const auto steps = plan_steps(s, 3, 0, "pre");
  BOOST_REQUIRE(steps.size() == 3u);
  BOOST_TEST(steps[0].version == 3);
  BOOST_TEST(steps[0].version_after() == 2);
  const std::vector<std::string> undo3{"widget_colour@2"};
  BOOST_TEST(names(steps[0].define) == undo3, boost::test_tools::per_element());
  BOOST_TEST(steps[0].drop.empty());

  const std::vector<std::string> undo2{"widget_label@1"};
  BOOST_TEST(names(steps[1].define) == undo2, boost::test_tools::per_element());
  BOOST_REQUIRE(steps[1].drop.size() == 1u);
  BOOST_TEST(steps[1].drop[0].name == "widget_colour");
  BOOST_TEST(steps[1].drop[0].args == "name_in text");

  BOOST_TEST(steps[2].define.empty());
  BOOST_TEST(steps[2].drop.size() == 2u);
  BOOST_REQUIRE(steps[2].script.has_value());
  BOOST_TEST(steps[2].script->find("from pre_viewer;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(steps_name_the_online_operations_their_scripts_create) {
  const auto s = schema::from_db_directory(own_fixture("upgrade-online"));
  const auto up = plan_steps(s, 0, 3, "pre");
  BOOST_TEST(up[0].online == "");
  BOOST_TEST(up[1].online == "online_migration_v2");
  BOOST_TEST(up[2].online == "");
  const auto down = plan_steps(s, 3, 1, "pre");
  BOOST_TEST(down[0].online == "online_downgrade_v3");
  BOOST_TEST(down[1].online == "");
  migration_plan plan;
  plan.steps = up;
  BOOST_TEST(to_string(plan).find("  then online_migration_v2 in batches until complete\n") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(versions_outside_the_schema_are_refused) {
  const auto s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  BOOST_CHECK_THROW(plan_steps(s, 0, 4, "pre"), std::invalid_argument);
  BOOST_CHECK_THROW(plan_steps(s, -1, 2, "pre"), std::invalid_argument);
  BOOST_TEST(plan_steps(s, 2, 2, "pre").empty());
}

BOOST_AUTO_TEST_SUITE_END()

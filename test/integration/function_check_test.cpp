// The function check compares each method's function with the schema's latest definition and
// catches, each with one line naming the method: a body replaced by hand, other arguments or
// return type, another language, SECURITY DEFINER and other attributes, a second definition
// and a missing function. Fixture: upgrade-lifecycle (widget_label is deprecated at version 3
// and keeps its version 2 body; widget_colour was redefined at version 3).
#include "run_process.hpp"
#include "upgrade_test.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>

using namespace pgfns;
using namespace pgfns::test;

namespace {

struct upgraded {
  service_roles roles{"drift"};
  scratch_database db{"drift"};
  std::filesystem::path dir = own_fixture("upgrade-lifecycle");
  schema s = schema::from_db_directory(dir);

  upgraded() { upgrade(s, options_for(db, roles.prefix())); }
  std::vector<std::string> problems() const {
    return check_database(db.write_url(), s, roles.prefix());
  }
  void expect(const std::string& problem) const {
    const std::vector<std::string> expected{problem};
    BOOST_TEST(problems() == expected, boost::test_tools::per_element());
  }
  const std::string& body(const std::string& method) const {
    return s.find_method(method)->definition.body;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(function_check)

BOOST_FIXTURE_TEST_CASE(a_fresh_upgrade_matches_every_method, upgraded) {
  BOOST_TEST(problems().empty());
  BOOST_TEST(check_functions(db.write_url(), s).empty());
}

BOOST_FIXTURE_TEST_CASE(catches_a_body_replaced_by_hand, upgraded) {
  db.exec(
      "create or replace function widget_colour(name_in text) returns text as $b$begin\n"
      "    return 'red';\nend$b$ language plpgsql");
  expect(
      "method widget_colour: body differs from version 3's at line 2: \"return 'red';\" where "
      "the schema has \"return (select colour from widgets where name = name_in) ...\"");
}

BOOST_FIXTURE_TEST_CASE(the_tool_reports_a_replaced_body, upgraded) {
  db.exec("create or replace function widget_colour(name_in text) returns text as $b$" +
          body("widget_colour") + "\n$b$ language plpgsql");
  const auto r = run_process({std::getenv("PGFNS_CLI"), "check", "--db", dir.string(),
                              "--admin-url", db.write_url(), "--prefix", roles.prefix()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out ==
             "method widget_colour: body differs from version 3's at line 4: \"\" where "
             "the schema's ends\n");
}

BOOST_FIXTURE_TEST_CASE(a_deprecated_method_keeps_the_body_it_last_had, upgraded) {
  // The version 1 body, which version 2 replaced before version 3 deprecated the method.
  db.exec("create or replace function widget_label(name_in text) returns text as $b$" +
          s.find_version(1)->methods[1].body + "$b$ language plpgsql");
  expect(
      "method widget_label: body differs from version 2's at line 2: \"return '$$' || name_in "
      "|| '$pgfns$ v1';\" where the schema has \"return name_in || ' v2';\"");
}

BOOST_FIXTURE_TEST_CASE(catches_other_arguments, upgraded) {
  db.exec(
      "drop function widget_colour(text); create function widget_colour(colour_in text) "
      "returns text as $b$" +
      body("widget_colour") + "$b$ language plpgsql");
  expect("method widget_colour: takes (colour_in text), the schema's takes (name_in text)");
}

BOOST_FIXTURE_TEST_CASE(catches_another_return_type, upgraded) {
  db.exec(
      "drop function widget_colour(text); create function widget_colour(name_in text) "
      "returns varchar as $b$" +
      body("widget_colour") + "$b$ language plpgsql");
  expect("method widget_colour: returns character varying, the schema's returns text");
}

BOOST_FIXTURE_TEST_CASE(catches_another_language, upgraded) {
  db.exec(
      "create or replace function widget_colour(name_in text) returns text "
      "language sql as $b$select colour from widgets where name = name_in$b$");
  expect("method widget_colour: is in language sql, the schema's in plpgsql");
}

BOOST_FIXTURE_TEST_CASE(catches_security_definer, upgraded) {
  db.exec("alter function add_widget(text, integer) security definer");
  expect(
      "method add_widget: is SECURITY DEFINER (security), the upgrade makes it SECURITY "
      "INVOKER");
}

BOOST_FIXTURE_TEST_CASE(catches_attributes_the_upgrade_resets, upgraded) {
  db.exec("alter function widget_colour(text) immutable set search_path = pg_temp");
  const std::vector<std::string> expected{
      "method widget_colour: is SET search_path=pg_temp (settings), the upgrade makes it none",
      "method widget_colour: is IMMUTABLE (volatility), the upgrade makes it VOLATILE"};
  BOOST_TEST(problems() == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(catches_a_second_definition, upgraded) {
  db.exec("create function widget_colour(name_in integer) returns text as $b$" +
          body("widget_colour") + "$b$ language plpgsql");
  expect("method widget_colour: has a second definition taking (name_in integer)");
}

BOOST_FIXTURE_TEST_CASE(catches_a_missing_function, upgraded) {
  db.exec("drop function add_widget(text, integer)");
  expect("method add_widget: missing from the database");
}

BOOST_FIXTURE_TEST_CASE(the_upgrade_itself_fails_on_a_replaced_function, upgraded) {
  db.exec("alter function add_widget(text, integer) security definer");
  try {
    upgrade(s, options_for(db, roles.prefix()));
    BOOST_FAIL("the upgrade ignored a SECURITY DEFINER method");
  } catch (const upgrade_error& e) {
    const std::vector<std::string> expected{
        "method add_widget: is SECURITY DEFINER (security), the upgrade makes it SECURITY "
        "INVOKER"};
    BOOST_TEST(e.problems() == expected, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(a_database_behind_the_schema_is_named) {
  service_roles roles("behind");
  scratch_database db("behind");
  const auto s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  auto o = options_for(db, roles.prefix());
  o.target = 2;
  upgrade(s, o);
  const auto problems = check_functions(db.write_url(), s);
  BOOST_TEST_REQUIRE(!problems.empty());
  BOOST_TEST(problems.front() == "database at version 2, the schema's latest is 3");
}

BOOST_AUTO_TEST_SUITE_END()

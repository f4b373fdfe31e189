// The enum types migration scripts create, alter and drop, as typed bindings see them.
#include "codegen/enum_scan.hpp"

#include <pgfns/codegen.hpp>

#include "schema_test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using pgfns::detail::enum_types;
using pgfns::detail::scan_enum_statements;
using labels = std::vector<std::string>;

namespace {

enum_types scan(const std::vector<std::string>& scripts) {
  enum_types enums;
  for (const std::string& script : scripts) scan_enum_statements(script, enums);
  return enums;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(codegen_enums)

BOOST_AUTO_TEST_CASE(create_type_as_enum) {
  const auto enums =
      scan({"begin\n"
            "  create type task_priority as enum(\n"
            "    'highest',\n    'very-high', 'it''s', E'tab\\there'\n  );\n"
            "  CREATE TYPE \"Mood\" AS ENUM ('sad', 'ok');\n"
            "  create type public.state as enum ();\n"
            "  create type audit.level as enum ('info');\n"
            "  create type point3 as (x int, y int, z int);\n"
            "end"});
  BOOST_TEST(enums.size() == 4u);
  BOOST_TEST(enums.at("task_priority") == (labels{"highest", "very-high", "it's", "tab\there"}),
             boost::test_tools::per_element());
  BOOST_TEST(enums.at("Mood") == (labels{"sad", "ok"}), boost::test_tools::per_element());
  BOOST_TEST(enums.at("state").empty());
  BOOST_TEST(enums.at("audit.level") == labels{"info"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(alter_type_adds_renames_and_moves) {
  const auto enums = scan({"create type p as enum ('low', 'high');",
                           "alter type p add value 'medium' before 'high';\n"
                           "alter type p add value 'top' after 'high';\n"
                           "alter type p add value 'bottom' before 'low';\n"
                           "alter type p add value 'last';\n"
                           "alter type p add value if not exists 'low';\n"
                           "alter type p add value if not exists 'extra' after 'low';\n"
                           "alter type public.p rename value 'last' to 'final';\n"
                           "alter type p owner to someone;\n"
                           "create type q as enum ('a');\n"
                           "alter type q rename to r;"});
  BOOST_TEST(enums.at("p") == (labels{"bottom", "low", "extra", "medium", "high", "top", "final"}),
             boost::test_tools::per_element());
  BOOST_TEST(enums.count("q") == 0u);
  BOOST_TEST(enums.at("r") == labels{"a"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(drop_type_removes_and_a_later_create_starts_again) {
  const auto enums =
      scan({"create type a as enum ('x'); create type b as enum ('y');"
            "create type c as enum ('z');",
            "drop type if exists a, public.b cascade; drop type missing;",
            "create type a as enum ('new');"});
  BOOST_TEST(enums.size() == 2u);
  BOOST_TEST(enums.at("a") == labels{"new"}, boost::test_tools::per_element());
  BOOST_TEST(enums.count("c") == 1u);
}

BOOST_AUTO_TEST_CASE(comments_strings_and_bodies_do_not_count) {
  const auto enums = scan({
      "begin\n"
      "  -- create type commented as enum ('a');\n"
      "  /* create type blocked as enum ('a'); /* nested */ still a comment */\n"
      "  raise notice 'create type quoted as enum (''a'')';\n"
      "  execute $sql$ create type dynamic as enum ('a') $sql$;\n"
      "  create function f() returns void as $$ begin drop type kept; end $$ language plpgsql;\n"
      "  grant select on t to $db_user_prefix$_service;\n"
      "  create type kept as enum ('a' /* a comment */, -- another\n 'b');\n"
      "  perform 1 from \"create type fake as enum ('x')\";\n"
      "end",
  });
  BOOST_TEST(enums.size() == 1u);
  BOOST_TEST(enums.at("kept") == (labels{"a", "b"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_unreadable_script_is_refused_naming_the_line) {
  enum_types enums;
  BOOST_CHECK_EXCEPTION(scan_enum_statements("begin\n  select 'never closed;\nend", enums),
                        std::invalid_argument, [](const std::invalid_argument& e) {
                          return std::string(e.what()) == "line 2: string is never closed";
                        });
}

BOOST_AUTO_TEST_CASE(taskcluster_has_two_enums, *pgfns::test::needs_shared()) {
  const auto s = pgfns::schema::from_db_directory(pgfns::test::taskcluster_db());
  const auto enums = pgfns::detail::scan_enums(s);
  BOOST_TEST(enums.size() == 2u);
  BOOST_TEST(enums.at("task_requires") == (labels{"all-completed", "all-resolved"}),
             boost::test_tools::per_element());
  BOOST_TEST(enums.at("task_priority") == (labels{"highest", "very-high", "high", "medium", "low",
                                                  "very-low", "lowest", "normal"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// The schema the integration tests of calls use loads and has the shape they rely on.
#include <pgfns/schema.hpp>

#include "client/pq/statement_cache.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>

namespace {

pgfns::schema load() {
  const char* src = std::getenv("PGFNS_SOURCE_DIR");
  BOOST_REQUIRE(src);
  return pgfns::schema::from_db_directory(std::filesystem::path(src) / "test/fixtures/core-db");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(core_fixture)

BOOST_AUTO_TEST_CASE(the_core_test_schema_loads) {
  const auto s = load();
  BOOST_TEST(s.latest_version() == 2);
  BOOST_REQUIRE(s.find_method("old_get_item"));
  BOOST_TEST(s.find_method("old_get_item")->definition.deprecated);
  BOOST_TEST(s.find_method("audit_note")->definition.service_name == "audit");
  BOOST_TEST((s.find_method("add_item")->definition.mode == pgfns::method_mode::write));
  BOOST_TEST(s.find_method("echo_jsonb_array")->definition.args == "v_in jsonb[]");
}

BOOST_AUTO_TEST_CASE(statements_are_built_once_per_method_and_argument_shape) {
  const auto s = load();
  const auto& sum = *s.find_method("sum_two");
  pgfns::detail::statement_cache cache;
  const auto two = boost::json::parse("[1, 2]");
  const auto three = boost::json::parse("[1, 2, 3]");
  const auto named = boost::json::parse(R"({"a_in": 1, "b_in": 2})");
  const auto swapped = boost::json::parse(R"({"b_in": 1, "a_in": 2})");
  auto& p2 = cache.get(sum, two);
  BOOST_TEST(p2.text == R"(select * from "sum_two"($1,$2))");
  BOOST_TEST(p2.nparams == 2);
  BOOST_TEST(&cache.get(sum, boost::json::parse("[5, 6]")) == &p2);
  BOOST_TEST(cache.get(sum, three).text == R"(select * from "sum_two"($1,$2,$3))");
  auto& n = cache.get(sum, named);
  BOOST_TEST(n.text == R"(select * from "sum_two"("a_in" => $1,"b_in" => $2))");
  BOOST_TEST(&cache.get(sum, boost::json::parse(R"({"a_in": 7, "b_in": 8})")) == &n);
  BOOST_TEST(cache.get(sum, swapped).text ==
             R"(select * from "sum_two"("b_in" => $1,"a_in" => $2))");
  BOOST_TEST(cache.size() == 4u);
  // Typed calls ask by count: the same positional statements.
  BOOST_TEST(&cache.get(sum, std::size_t{2}) == &p2);
  BOOST_TEST(cache.get(sum, std::size_t{0}).text == R"(select * from "sum_two"())");
  BOOST_TEST(cache.size() == 5u);
  std::set<std::uint32_t> ids;
  for (auto* v : {&two, &three, &named, &swapped}) ids.insert(cache.get(sum, *v).id);
  ids.insert(cache.get(sum, std::size_t{0}).id);
  BOOST_TEST(ids.size() == 5u);
  BOOST_TEST(!ids.contains(0u));
}

BOOST_AUTO_TEST_SUITE_END()

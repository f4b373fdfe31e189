// SQL types as `args` and `returns` write them, mapped to the C++ types of typed bindings, and
// the shapes of `returns`.
#include "codegen/sql_types.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <utility>

using pgfns::detail::enum_types;
using pgfns::detail::map_sql_type;
using pgfns::detail::parse_returns;
using pgfns::detail::return_kind;

namespace {

const enum_types enums{
    {"task_priority", {"high", "low"}}, {"Mood", {"ok"}}, {"audit.level", {"info"}}};

std::string cpp_of(const std::string& sql) {
  const auto t = map_sql_type(sql, enums);
  const std::string base = t.is_enum ? "enum " + t.cpp : t.cpp;
  return t.array ? "std::vector<" + base + ">" : base;
}

std::string refusal(const std::string& sql) {
  try {
    map_sql_type(sql, enums);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "mapped";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(codegen_types)

BOOST_AUTO_TEST_CASE(every_spelling_of_the_table) {
  const std::pair<const char*, const char*> table[] = {
      {"smallint", "std::int16_t"},
      {"int2", "std::int16_t"},
      {"integer", "std::int32_t"},
      {"int", "std::int32_t"},
      {"int4", "std::int32_t"},
      {"bigint", "std::int64_t"},
      {"int8", "std::int64_t"},
      {"boolean", "bool"},
      {"bool", "bool"},
      {"real", "float"},
      {"float4", "float"},
      {"double precision", "double"},
      {"float8", "double"},
      {"text", "std::string"},
      {"varchar", "std::string"},
      {"varchar(20)", "std::string"},
      {"character varying(255)", "std::string"},
      {"char(3)", "std::string"},
      {"character(3)", "std::string"},
      {"bpchar", "std::string"},
      {"name", "std::string"},
      {"uuid", "pgfns::uuid"},
      {"numeric", "pgfns::numeric"},
      {"numeric(12,2)", "pgfns::numeric"},
      {"numeric(12, 2)", "pgfns::numeric"},
      {"decimal", "pgfns::numeric"},
      {"timestamptz", "pgfns::timestamptz"},
      {"timestamptz(3)", "pgfns::timestamptz"},
      {"timestamp with time zone", "pgfns::timestamptz"},
      {"timestamp(3) with time zone", "pgfns::timestamptz"},
      {"timestamp", "pgfns::timestamp"},
      {"timestamp(6)", "pgfns::timestamp"},
      {"timestamp without time zone", "pgfns::timestamp"},
      {"date", "pgfns::date"},
      {"interval", "pgfns::interval"},
      {"interval day to second", "pgfns::interval"},
      {"interval year", "pgfns::interval"},
      {"interval(3)", "pgfns::interval"},
      {"json", "boost::json::value"},
      {"jsonb", "boost::json::value"},
      {"bytea", "pgfns::bytea"},
  };
  for (const auto& [sql, cpp] : table) BOOST_TEST(cpp_of(sql) == cpp, sql);
}

BOOST_AUTO_TEST_CASE(case_quotes_and_the_catalog_schema) {
  BOOST_TEST(cpp_of("INTEGER") == "std::int32_t");
  BOOST_TEST(cpp_of("Double Precision") == "double");
  BOOST_TEST(cpp_of("TIMESTAMP WITH TIME ZONE") == "pgfns::timestamptz");
  BOOST_TEST(cpp_of("\"int4\"") == "std::int32_t");
  BOOST_TEST(cpp_of("pg_catalog.int8") == "std::int64_t");
  BOOST_TEST(cpp_of("pg_catalog.\"text\"") == "std::string");
  // Quoted, a name is taken as written: "integer" is no type name, "INT4" none either.
  BOOST_TEST(refusal("\"integer\"").starts_with("has no C++ mapping"));
  BOOST_TEST(refusal("\"INT4\"").starts_with("has no C++ mapping"));
}

BOOST_AUTO_TEST_CASE(arrays_of_one_dimension) {
  BOOST_TEST(cpp_of("text[]") == "std::vector<std::string>");
  BOOST_TEST(cpp_of("integer[3]") == "std::vector<std::int32_t>");
  BOOST_TEST(cpp_of("int array") == "std::vector<std::int32_t>");
  BOOST_TEST(cpp_of("int ARRAY[4]") == "std::vector<std::int32_t>");
  BOOST_TEST(cpp_of("varchar(20)[]") == "std::vector<std::string>");
  BOOST_TEST(cpp_of("timestamp(3) with time zone []") == "std::vector<pgfns::timestamptz>");
  BOOST_TEST(cpp_of("task_priority[]") == "std::vector<enum task_priority>");
  BOOST_TEST(refusal("int[][]").starts_with("is a multi-dimensional array"));
  BOOST_TEST(refusal("int[2][3]").starts_with("is a multi-dimensional array"));
}

BOOST_AUTO_TEST_CASE(enums_by_their_sql_name) {
  BOOST_TEST(cpp_of("task_priority") == "enum task_priority");
  BOOST_TEST(cpp_of("Task_Priority") == "enum task_priority");
  BOOST_TEST(cpp_of("public.task_priority") == "enum task_priority");
  BOOST_TEST(cpp_of("\"task_priority\"") == "enum task_priority");
  BOOST_TEST(cpp_of("\"Mood\"") == "enum Mood");
  BOOST_TEST(refusal("mood").starts_with("has no C++ mapping"));  // folded: not "Mood"
  BOOST_TEST(cpp_of("audit.level") == "enum audit.level");
  BOOST_TEST(refusal("level").starts_with("has no C++ mapping"));
  BOOST_TEST(refusal("task_priority(2)").starts_with("has no C++ mapping"));
}

BOOST_AUTO_TEST_CASE(what_has_no_mapping_is_refused_with_the_reason) {
  for (const char* sql :
       {"money", "record", "time", "timetz", "time with time zone", "inet", "point", "xml",
        "int4range", "\"char\"", "float", "my_table", "interval forever"})
    BOOST_TEST(refusal(sql) ==
                   "has no C++ mapping (neither a type of the typed bindings nor an enum created "
                   "by a migration script)",
               sql);
  BOOST_TEST(refusal("products.price%type").starts_with("is a %TYPE or %ROWTYPE reference"));
}

BOOST_AUTO_TEST_CASE(returns_void_scalar_set_and_table) {
  BOOST_TEST((parse_returns("void").kind == return_kind::none));
  BOOST_TEST((parse_returns("VOID").kind == return_kind::none));

  const auto scalar = parse_returns("timestamp with time zone");
  BOOST_TEST((scalar.kind == return_kind::scalar));
  BOOST_TEST(scalar.type == "timestamp with time zone");

  const auto set = parse_returns("SETOF text[]");
  BOOST_TEST((set.kind == return_kind::set));
  BOOST_TEST(set.type == "text[]");

  const auto table = parse_returns(
      "table (\n  task_id text, -- the id\n  \"Run\" integer,\n  count numeric(10, 2)\n)");
  BOOST_TEST((table.kind == return_kind::table));
  BOOST_TEST_REQUIRE(table.columns.size() == 3u);
  BOOST_TEST(table.columns[0].name == "task_id");
  BOOST_TEST(table.columns[0].type == "text");
  BOOST_TEST(table.columns[1].name == "Run");
  BOOST_TEST(table.columns[2].name == "count");
  BOOST_TEST(table.columns[2].type == "numeric(10, 2)");
  BOOST_TEST(parse_returns("TABLE(a int)").columns.size() == 1u);
}

BOOST_AUTO_TEST_CASE(returns_that_cannot_be_read) {
  const auto refusal_of = [](const std::string& returns) -> std::string {
    try {
      parse_returns(returns);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "read";
  };
  BOOST_TEST(refusal_of("") == "is empty");
  BOOST_TEST(refusal_of("setof") == "names no type after setof");
  BOOST_TEST(refusal_of("table ()") == "has no columns");
  BOOST_TEST(refusal_of("table (integer)").starts_with("has a column that is not `name type`"));
  BOOST_TEST(refusal_of("table (a int default 1)").starts_with("has a column that is not"));
  BOOST_TEST(refusal_of("table (a int, a text)").starts_with("has a column list that cannot"));
}

BOOST_AUTO_TEST_SUITE_END()

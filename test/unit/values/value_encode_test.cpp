// encode_param: every argument kind of the mapping in pgfns/value.hpp, as the text PostgreSQL
// receives.
#include <pgfns/value.hpp>

#include "values/pg_types.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace json = boost::json;
namespace oid = pgfns::detail::pg_oid;

namespace {

constexpr pgfns::oid_t int4_array = 1007;
constexpr pgfns::oid_t text_array = 1009;
constexpr pgfns::oid_t float8_array = 1022;
constexpr pgfns::oid_t json_array = 199;
constexpr pgfns::oid_t jsonb_array = 3807;
constexpr pgfns::oid_t bytea_array = 1001;
constexpr pgfns::oid_t bool_array = 1000;

struct encode_case {
  json::value value;
  pgfns::oid_t type;
  std::optional<std::string> expected;  // nullopt: SQL NULL
};

void check_all(const std::vector<encode_case>& cases) {
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("value " << json::serialize(c.value) << ", type " << c.type) {
      std::string out = "prefix|";
      const bool not_null = pgfns::encode_param(c.value, c.type, out);
      BOOST_TEST(not_null == c.expected.has_value());
      BOOST_TEST(out == "prefix|" + c.expected.value_or(""));
    }
  }
}

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

}  // namespace

BOOST_AUTO_TEST_SUITE(value_encode)

BOOST_AUTO_TEST_CASE(null_is_sql_null_for_every_type) {
  check_all({
      {nullptr, 0, std::nullopt},
      {nullptr, oid::text, std::nullopt},
      {nullptr, oid::jsonb, std::nullopt},
      {nullptr, int4_array, std::nullopt},
  });
}

BOOST_AUTO_TEST_CASE(booleans_and_integers) {
  check_all({
      {true, oid::boolean, "true"},
      {false, 0, "false"},
      {true, oid::jsonb, "true"},
      {std::numeric_limits<std::int64_t>::min(), oid::int8, "-9223372036854775808"},
      {std::numeric_limits<std::int64_t>::max(), oid::int8, "9223372036854775807"},
      {std::numeric_limits<std::uint64_t>::max(), oid::numeric, "18446744073709551615"},
      {0, oid::int4, "0"},
      {-42, oid::json, "-42"},
  });
}

BOOST_AUTO_TEST_CASE(doubles_use_the_shortest_exact_text) {
  check_all({
      {0.1, oid::float8, "0.1"},
      {1.0, oid::float8, "1"},
      {-0.0, oid::float8, "-0"},
      {1e308, oid::float8, "1e+308"},
      {5e-324, oid::float8, "5e-324"},
      {123456.789, oid::numeric, "123456.789"},
      {1.7976931348623157e308, 0, "1.7976931348623157e+308"},
      {not_a_number, oid::float8, "NaN"},
      {inf, oid::float8, "Infinity"},
      {-inf, oid::float4, "-Infinity"},
      {2.5, oid::jsonb, "2.5"},
  });
}

BOOST_AUTO_TEST_CASE(strings_pass_verbatim) {
  check_all({
      {"abc", oid::text, "abc"},
      {"", oid::text, ""},
      {"'); drop table x; --", oid::text, "'); drop table x; --"},
      {"$1", oid::text, "$1"},
      {R"(back\slash "quote")", oid::varchar, R"(back\slash "quote")"},
      {"héllo ✓ 日本語 😀", oid::text, "héllo ✓ 日本語 😀"},
      {R"(\x0a0b)", oid::bytea, R"(\x0a0b)"},
      {"2024-01-02T03:04:05Z", oid::timestamptz, "2024-01-02T03:04:05Z"},
      {"{1,2}", int4_array, "{1,2}"},
      {"12.50", oid::numeric, "12.50"},
      {"abc", 0, "abc"},
  });
}

BOOST_AUTO_TEST_CASE(json_parameters_get_json_text) {
  check_all({
      {"abc", oid::json, R"("abc")"},
      {R"(a"b\c)", oid::jsonb, R"("a\"b\\c")"},
      {"", oid::jsonb, R"("")"},
      {json::parse(R"({"a":{"b":[1,"x",null]}})"), oid::jsonb, R"({"a":{"b":[1,"x",null]}})"},
      {json::parse(R"([1,"x"])"), oid::json, R"([1,"x"])"},
      {json::array(), oid::jsonb, "[]"},
      {json::object(), oid::jsonb, "{}"},
      {json::string(std::string_view("a\0b", 3)), oid::jsonb, R"("a\u0000b")"},
  });
}

BOOST_AUTO_TEST_CASE(arrays_for_array_types_become_array_literals) {
  check_all({
      {json::parse("[1,2,null,-3]"), int4_array, "{1,2,NULL,-3}"},
      {json::array(), int4_array, "{}"},
      {json::parse("[[1,2],[3,4]]"), int4_array, "{{1,2},{3,4}}"},
      {json::parse("[[[1],[2]],[[3],[null]]]"), int4_array, "{{{1},{2}},{{3},{NULL}}}"},
      {json::array{1.5, not_a_number, -inf, -0.0}, float8_array, "{1.5,NaN,-Infinity,-0}"},
      {json::parse("[true,false,null]"), bool_array, "{true,false,NULL}"},
      {json::parse(R"(["a","b c","",null,"NULL","x\"y","back\\slash","{brace}","a,b"," lead"])"),
       text_array, R"({"a","b c","",NULL,"NULL","x\"y","back\\slash","{brace}","a,b"," lead"})"},
      {json::parse(R"(["'); drop table x; --","$1","}{\"\\"])"), text_array,
       R"({"'); drop table x; --","$1","}{\"\\"})"},
      {json::parse(R"([["a",null],["b c","d"]])"), text_array, R"({{"a",NULL},{"b c","d"}})"},
      {json::parse(R"(["\\x0a","\\x"])"), bytea_array, R"({"\\x0a","\\x"})"},
      {json::parse(R"([{"a":"q\"x"},"s",1,null])"), jsonb_array,
       R"({"{\"a\":\"q\\\"x\"}","\"s\"",1,NULL})"},
      {json::parse(R"([{"k":[1]},"\\"])"), json_array, R"({"{\"k\":[1]}","\"\\\\\""})"},
  });
}

BOOST_AUTO_TEST_CASE(other_arrays_and_objects_become_json_text) {
  check_all({
      {json::parse("[1,2]"), oid::int4, "[1,2]"},
      {json::parse("[1,2]"), 0, "[1,2]"},
      {json::parse(R"({"a":1})"), oid::text, R"({"a":1})"},
      {json::parse(R"({"a":1})"), int4_array, R"({"a":1})"},
      {json::parse(R"([{"a":1}])"), text_array, R"({"{\"a\":1}"})"},
  });
}

BOOST_AUTO_TEST_CASE(nul_bytes_are_refused_where_text_cannot_hold_them) {
  const json::value with_nul = json::string(std::string_view("a\0b", 3));
  std::string out;
  BOOST_CHECK_THROW(pgfns::encode_param(with_nul, oid::text, out), std::invalid_argument);
  BOOST_CHECK_THROW(pgfns::encode_param(with_nul, 0, out), std::invalid_argument);
  const json::value in_array = json::array{"ok", with_nul};
  BOOST_CHECK_THROW(pgfns::encode_param(in_array, text_array, out), std::invalid_argument);
}

// PostgreSQL arrays have at most 6 dimensions. Deeper nesting is refused before it is written:
// a value nested 100000 deep (Boost.JSON parses it when max_depth allows) used to exhaust the
// stack, one recursion per level.
BOOST_AUTO_TEST_CASE(arrays_deeper_than_six_dimensions_are_refused) {
  const auto nested = [](std::size_t depth) {
    json::parse_options options;
    options.max_depth = depth + 1;
    return json::parse(std::string(depth, '[') + std::string(depth, ']'), {}, options);
  };
  std::string out;
  BOOST_TEST(pgfns::encode_param(nested(6), int4_array, out));
  BOOST_TEST(out == "{{{{{{}}}}}}");
  BOOST_CHECK_THROW(pgfns::encode_param(nested(7), int4_array, out), std::invalid_argument);
  BOOST_CHECK_THROW(pgfns::encode_param(nested(100000), text_array, out), std::invalid_argument);
  BOOST_CHECK_THROW(pgfns::encode_param(nested(7), jsonb_array, out), std::invalid_argument);
  out.clear();
  BOOST_TEST(pgfns::encode_param(nested(7), oid::jsonb, out));  // JSON itself nests freely
  BOOST_TEST(out == std::string(7, '[') + std::string(7, ']'));
}

// Boost.JSON's serialiser recurses once per level: a json or jsonb argument nested deeper than
// max_json_depth is refused before it is written, as rows that deep are refused when read.
BOOST_AUTO_TEST_CASE(json_deeper_than_the_limit_is_refused) {
  const auto nested_objects = [](std::size_t depth) {
    json::value v = json::object();
    json::object* inner = &v.get_object();
    for (std::size_t i = 1; i < depth; ++i) inner = &(*inner)["a"].emplace_object();
    return v;
  };
  std::string out;
  BOOST_TEST(pgfns::encode_param(nested_objects(pgfns::max_json_depth), oid::jsonb, out));
  BOOST_TEST(out.size() == 6 * (pgfns::max_json_depth - 1) + 2);
  try {
    pgfns::encode_param(nested_objects(pgfns::max_json_depth + 1), oid::jsonb, out);
    BOOST_ERROR("no error");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string_view(e.what()).find("deeper than 1000 levels") != std::string::npos,
               e.what());
  }
  const json::value in_array = json::array{nested_objects(pgfns::max_json_depth)};
  BOOST_CHECK_THROW(pgfns::encode_param(in_array, oid::json, out), std::invalid_argument);
  BOOST_CHECK_THROW(pgfns::encode_param(in_array, jsonb_array, out), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(encoded_arrays_decode_to_the_same_value) {
  // The array literal pgfns writes and the one PostgreSQL prints differ (pgfns quotes every
  // string), but both parse back into the value they came from.
  const std::vector<std::pair<json::value, pgfns::oid_t>> cases = {
      {json::parse(R"(["", "NULL", "a\"b", "c\\d", " e ", "{f}", "g,h", "é", null])"), text_array},
      {json::parse("[[1,null],[3,4]]"), int4_array},
      {json::parse(R"([{"a":["x\"y"]},"s",null])"), jsonb_array},
      {json::parse("[]"), text_array},
  };
  for (const auto& [value, type] : cases) {
    std::string text;
    BOOST_TEST_REQUIRE(pgfns::encode_param(value, type, text));
    BOOST_TEST(pgfns::decode_text(type, text) == value, text);
  }
}

BOOST_AUTO_TEST_SUITE_END()

// decode_text: every row of the type mapping in pgfns/value.hpp, as PostgreSQL prints values.
#include <pgfns/value.hpp>

#include "values/pg_types.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

namespace json = boost::json;
namespace oid = pgfns::detail::pg_oid;

namespace {

struct decode_case {
  pgfns::oid_t type;
  std::string_view text;      // as the server prints it
  std::string_view expected;  // JSON text of the expected value
};

void check(const decode_case& c) {
  BOOST_TEST_CONTEXT("type " << c.type << ", text " << c.text) {
    const json::value got = pgfns::decode_text(c.type, c.text);
    const json::value want = json::parse(c.expected);
    BOOST_TEST(got == want, json::serialize(got) << " != " << json::serialize(want));
    BOOST_TEST(static_cast<int>(got.kind()) == static_cast<int>(want.kind()));
  }
}

void check_all(std::initializer_list<decode_case> cases) {
  for (const auto& c : cases) check(c);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(value_decode)

BOOST_AUTO_TEST_CASE(integers_become_int64) {
  check_all({
      {oid::int2, "-32768", "-32768"},
      {oid::int2, "32767", "32767"},
      {oid::int4, "-2147483648", "-2147483648"},
      {oid::int4, "0", "0"},
      {oid::int8, "-9223372036854775808", "-9223372036854775808"},
      {oid::int8, "9223372036854775807", "9223372036854775807"},
      {oid::oid, "4294967295", "4294967295"},
  });
}

BOOST_AUTO_TEST_CASE(floats_become_doubles_and_non_finite_become_strings) {
  check_all({
      {oid::float8, "1.5", "1.5"},
      {oid::float8, "1e+308", "1e308"},
      {oid::float8, "-1.7976931348623157e+308", "-1.7976931348623157e308"},
      {oid::float8, "2.2250738585072014e-308", "2.2250738585072014e-308"},
      {oid::float8, "5e-324", "5e-324"},
      {oid::float8, "0.1", "0.1"},
      {oid::float4, "1.1", "1.1"},
      {oid::float4, "3.4028235e+38", "3.4028235e38"},
      {oid::float8, "NaN", R"("NaN")"},
      {oid::float8, "Infinity", R"("Infinity")"},
      {oid::float8, "-Infinity", R"("-Infinity")"},
      {oid::float4, "NaN", R"("NaN")"},
  });
  const json::value negative_zero = pgfns::decode_text(oid::float8, "-0");
  BOOST_TEST_REQUIRE(negative_zero.is_double());
  BOOST_TEST(negative_zero.get_double() == 0.0);
  BOOST_TEST(std::signbit(negative_zero.get_double()));
}

// PostgreSQL never prints these, but decode_text takes any text: what from_chars would read as
// a non-finite number stays a string, so that no decoded value is a number JSON cannot hold.
BOOST_AUTO_TEST_CASE(non_finite_spellings_that_postgres_never_prints_stay_strings) {
  check_all({
      {oid::float8, "-INfinity", R"("-INfinity")"},
      {oid::float8, "inf", R"("inf")"},
      {oid::float8, "-infinity", R"("-infinity")"},
      {oid::float8, "nan", R"("nan")"},
      {oid::float8, "-nan(123)", R"x("-nan(123)")x"},
      {oid::float4, "INF", R"("INF")"},
      {1022, "{1.5,inf,-NAN}", R"([1.5,"inf","-NAN"])"},
  });
}

BOOST_AUTO_TEST_CASE(numeric_keeps_its_exact_decimal_text) {
  check_all({
      {oid::numeric, "12.50", R"("12.50")"},
      {oid::numeric, "1234567890123456789012345678901234567890.0123456789",
       R"("1234567890123456789012345678901234567890.0123456789")"},
      {oid::numeric, "-0.000000000000000000001", R"("-0.000000000000000000001")"},
      {oid::numeric, "NaN", R"("NaN")"},
      {oid::numeric, "Infinity", R"("Infinity")"},
  });
}

BOOST_AUTO_TEST_CASE(booleans) {
  check_all({{oid::boolean, "t", "true"}, {oid::boolean, "f", "false"}});
}

BOOST_AUTO_TEST_CASE(text_types_and_unknown_types_become_strings) {
  check_all({
      {oid::text, "", R"("")"},
      {oid::text, "héllo ✓ 日本語 😀", R"("héllo ✓ 日本語 😀")"},
      {oid::text, R"( quote " and \ backslash )", R"(" quote \" and \\ backslash ")"},
      {oid::text, "'); drop table x; --", R"("'); drop table x; --")"},
      {oid::varchar, "{1,2}", R"("{1,2}")"},
      {oid::bpchar, "ab   ", R"("ab   ")"},
      {oid::name, "pg_class", R"("pg_class")"},
      {oid::char_, "x", R"("x")"},
      {oid::uuid, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
       R"("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")"},
      {oid::inet, "192.168.0.1/24", R"("192.168.0.1/24")"},
      {oid::money, "$1.00", R"("$1.00")"},
      {123456, "CaseInsensitive", R"("CaseInsensitive")"},  // citext, enums: OIDs vary
      {123456, "{a,b}", R"("{a,b}")"},
      {oid::record, R"x((1,"a b",))x", R"x("(1,\"a b\",)")x"},
      {oid::time, "04:05:06.789", R"("04:05:06.789")"},
      {oid::timetz, "04:05:06+02", R"("04:05:06+02")"},
      {oid::interval, "1 year 2 mons 3 days 04:05:06.5", R"("1 year 2 mons 3 days 04:05:06.5")"},
      {oid::bytea, R"(\x0a0bff)", R"("\\x0a0bff")"},
      {oid::bytea, R"(\x)", R"("\\x")"},
  });
}

BOOST_AUTO_TEST_CASE(json_and_jsonb_are_parsed) {
  check_all({
      {oid::json, R"({"a": {"b": [1, 2.5, {"c": null}]}, "d": "x"})",
       R"({"a":{"b":[1,2.5,{"c":null}]},"d":"x"})"},
      {oid::jsonb, R"({"a": {"b": [1, 2.5, {"c": null}]}, "d": "x"})",
       R"({"a":{"b":[1,2.5,{"c":null}]},"d":"x"})"},
      {oid::jsonb, R"("abc")", R"("abc")"},
      {oid::jsonb, "123", "123"},
      {oid::jsonb, "-9223372036854775808", "-9223372036854775808"},
      {oid::json, "[]", "[]"},
      {oid::json, "  [1 , 2]  ", "[1,2]"},
      {oid::jsonb, "null", "null"},
      {oid::jsonb, "true", "true"},
      {oid::json, R"({"u": "\u00e9\ud83d\ude00"})", R"({"u":"é😀"})"},
  });
}

namespace {

// A json or jsonb field pgfns cannot read is an error that says why, never a string: a string
// would be indistinguishable from a jsonb string value.
void check_refused(pgfns::oid_t type, const std::string& text, std::string_view reason) {
  BOOST_TEST_CONTEXT("type " << type << ", text " << text.substr(0, 40)) {
    try {
      const json::value got = pgfns::decode_text(type, text);
      BOOST_ERROR("decoded as " << json::serialize(got).substr(0, 60));
    } catch (const std::invalid_argument& e) {
      BOOST_TEST(std::string_view(e.what()).find(reason) != std::string_view::npos, e.what());
    }
  }
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string nested_objects(std::size_t depth) {
  std::string s;
  for (std::size_t i = 0; i < depth; ++i) s += R"({"a": )";
  return s + "1" + std::string(depth, '}');
}

}  // namespace

BOOST_AUTO_TEST_CASE(json_deeper_than_the_limit_is_refused) {
  BOOST_TEST(pgfns::max_json_depth == 1000u);
  BOOST_TEST(pgfns::decode_text(oid::jsonb, nested_arrays(pgfns::max_json_depth)).is_array());
  BOOST_TEST(pgfns::decode_text(oid::json, nested_objects(pgfns::max_json_depth)).is_object());
  check_refused(oid::jsonb, nested_arrays(pgfns::max_json_depth + 1), "deeper than 1000 levels");
  check_refused(oid::json, nested_objects(pgfns::max_json_depth + 1), "deeper than 1000 levels");
  check_refused(oid::jsonb, nested_arrays(14000), "deeper than 1000 levels");  // PostgreSQL's
  // An element of a jsonb[] column is held to the same limit.
  check_refused(3807, "{\"" + nested_arrays(pgfns::max_json_depth + 1) + "\"}",
                "deeper than 1000 levels");
}

BOOST_AUTO_TEST_CASE(text_that_is_not_json_is_refused) {
  check_refused(oid::json, "{oops", "not valid JSON");
  check_refused(oid::jsonb, R"({"a":)", "not valid JSON");
  check_refused(oid::jsonb, "[1] x", "not valid JSON");
  check_refused(oid::jsonb, "", "not valid JSON");
  check_refused(199, R"({1,"{oops"})", "not valid JSON");  // json[]
}

// jsonb keeps numbers exactly and prints 1e400 as 401 digits; a double cannot hold it (Boost.JSON
// would read it as an infinity, which JSON cannot hold), so the value is refused.
BOOST_AUTO_TEST_CASE(json_with_numbers_beyond_double_range_is_refused) {
  check_all({
      {oid::jsonb, "1e-400", "0.0"},  // underflow is a finite double
  });
  check_refused(oid::json, "41e+308", "beyond the range of a double");
  check_refused(oid::jsonb, R"({"a": [1, -1e999]})", "beyond the range of a double");
  check_refused(199, R"({1,"[2e308]"})", "beyond the range of a double");
  check_refused(oid::jsonb, "1" + std::string(400, '0'), "beyond the range of a double");
}

BOOST_AUTO_TEST_CASE(json_uses_the_given_storage) {
  json::monotonic_resource mr;
  json::storage_ptr sp(&mr);
  const json::value v =
      pgfns::decode_text(oid::jsonb, R"({"k": ["a long string value here"]})", sp);
  BOOST_TEST(v.storage().get() == &mr);
  BOOST_TEST(v.at("k").storage().get() == &mr);
  BOOST_TEST(
      pgfns::decode_text(oid::text, "a string long enough to allocate", sp).storage().get() == &mr);
}

BOOST_AUTO_TEST_CASE(dates_and_timestamps_become_iso_8601) {
  check_all({
      {oid::date, "2024-02-29", R"("2024-02-29")"},
      {oid::date, "infinity", R"("infinity")"},
      {oid::date, "0044-03-15 BC", R"("0044-03-15 BC")"},
      {oid::timestamp, "2024-01-02 03:04:05", R"("2024-01-02T03:04:05")"},
      {oid::timestamp, "2024-01-02 03:04:05.123456", R"("2024-01-02T03:04:05.123456")"},
      {oid::timestamp, "2024-01-02 03:04:05.5", R"("2024-01-02T03:04:05.5")"},
      {oid::timestamp, "10000-01-02 03:04:05", R"("10000-01-02T03:04:05")"},
      {oid::timestamp, "infinity", R"("infinity")"},
      {oid::timestamp, "-infinity", R"("-infinity")"},
      {oid::timestamp, "0044-03-15 12:00:00 BC", R"("0044-03-15 12:00:00 BC")"},
      {oid::timestamp, "Tue Jan 02 03:04:05 2024", R"("Tue Jan 02 03:04:05 2024")"},
      {oid::timestamptz, "2024-01-02 03:04:05+00", R"("2024-01-02T03:04:05+00:00")"},
      {oid::timestamptz, "2024-01-02 03:04:05.000001+00", R"("2024-01-02T03:04:05.000001+00:00")"},
      {oid::timestamptz, "2024-01-02 03:04:05.5+05:30", R"("2024-01-02T03:04:05.5+05:30")"},
      {oid::timestamptz, "2024-01-02 03:04:05-03", R"("2024-01-02T03:04:05-03:00")"},
      {oid::timestamptz, "1890-01-02 03:04:05+00:19:32", R"("1890-01-02T03:04:05+00:19:32")"},
      {oid::timestamptz, "infinity", R"("infinity")"},
      {oid::timestamptz, "0044-03-15 12:00:00+00 BC", R"("0044-03-15 12:00:00+00 BC")"},
  });
}

BOOST_AUTO_TEST_CASE(arrays_decode_their_elements_by_element_type) {
  check_all({
      {1007, "{1,2,NULL,-3}", "[1,2,null,-3]"},
      {1007, "{}", "[]"},
      {1007, "{{1,2},{3,4}}", "[[1,2],[3,4]]"},
      {1007, "{{{1},{2}},{{3},{NULL}}}", "[[[1],[2]],[[3],[null]]]"},
      {1007, "[0:1]={5,6}", "[5,6]"},
      {1007, "[0:1][1:1]={{5},{6}}", "[[5],[6]]"},
      {1005, "{-32768,32767}", "[-32768,32767]"},
      {1016, "{-9223372036854775808,9223372036854775807}",
       "[-9223372036854775808,9223372036854775807]"},
      {1022, "{1.5,NaN,-Infinity,1e+308}", R"([1.5,"NaN","-Infinity",1e308])"},
      {1021, "{1.1,Infinity}", R"([1.1,"Infinity"])"},
      {1231, "{1.10,NaN,1234567890123456789012345678901234567890}",
       R"(["1.10","NaN","1234567890123456789012345678901234567890"])"},
      {1000, "{t,f,NULL}", "[true,false,null]"},
      {1009, R"({a,"b c","quote\"here","back\\slash","",NULL,"NULL","a,b","{x}",é})",
       R"(["a","b c","quote\"here","back\\slash","",null,"NULL","a,b","{x}","é"])"},
      {1009, R"({{a,b},{"c d",NULL}})", R"([["a","b"],["c d",null]])"},
      {1015, R"({"'); drop table x; --"})", R"(["'); drop table x; --"])"},
      {2951, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
       R"(["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"])"},
      {199, R"({"{\"a\": [1, 2]}","\"s\"",3,NULL})", R"([{"a":[1,2]},"s",3,null])"},
      {3807, R"({"{\"a\": \"q\\\"x\"}","[]"})", R"([{"a":"q\"x"},[]])"},
      {1182, "{2024-01-02,infinity}", R"(["2024-01-02","infinity"])"},
      {1115, R"({"2024-01-02 03:04:05","2024-01-02 03:04:05.5",-infinity})",
       R"(["2024-01-02T03:04:05","2024-01-02T03:04:05.5","-infinity"])"},
      {1185, R"({"2024-01-02 03:04:05+00","2024-01-02 03:04:05+05:30"})",
       R"(["2024-01-02T03:04:05+00:00","2024-01-02T03:04:05+05:30"])"},
      {1001, R"({"\\x0a0b","\\x",NULL})", R"(["\\x0a0b","\\x",null])"},
      {1187, R"({"1 day","-00:00:01"})", R"(["1 day","-00:00:01"])"},
  });
}

BOOST_AUTO_TEST_CASE(malformed_arrays_stay_text) {
  for (std::string_view text :
       {"{1,2", "{1,,2}", "{1,2}x", R"({"unterminated})", "1,2", "", "[0:1]", "{{{{{{{1}}}}}}}"}) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(pgfns::decode_text(1007, text) == json::value(text));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

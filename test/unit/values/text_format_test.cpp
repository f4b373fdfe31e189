// text_format for real, double precision, numeric, uuid, json and bytea: the text PostgreSQL
// prints and reads, both ways, and what is refused.
#include <pgfns/text_format.hpp>
#include <pgfns/value.hpp>

#include "text_format_checks.hpp"
#include "values/text_refusal.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

using pgfns::text_format;
using pgfns::test::check_refused;
using pgfns::test::check_text;
using pgfns::test::written;

namespace {

template <class F>
void check_round_trip(F v) {
  const std::string text = written(v);
  BOOST_TEST_CONTEXT("text " << text) {
    const F back = text_format<F>::read(text);
    BOOST_TEST(std::memcmp(&back, &v, sizeof v) == 0);  // bit for bit: -0 stays -0
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(text_format_numbers)

BOOST_AUTO_TEST_CASE(doubles_round_trip_bit_for_bit) {
  using lim = std::numeric_limits<double>;
  for (double v : {0.0, -0.0, 0.1, 1.0 / 3, -2.5, 1e308, lim::max(), lim::lowest(), lim::min(),
                   lim::denorm_min(), -lim::denorm_min(), lim::epsilon(), 123456789012345680000.0,
                   1e-7, 9007199254740993.0})
    check_round_trip(v);
}

BOOST_AUTO_TEST_CASE(floats_round_trip_bit_for_bit) {
  using lim = std::numeric_limits<float>;
  for (float v : {0.0f, -0.0f, 0.1f, 1.0f / 3, lim::max(), lim::lowest(), lim::min(),
                  lim::denorm_min(), 16777217.0f})
    check_round_trip(v);
}

BOOST_AUTO_TEST_CASE(the_shortest_text_and_postgresqls_words) {
  check_text(0.1, "0.1");
  check_text(-0.0, "-0");
  check_text(1e100, "1e+100");
  check_text(std::numeric_limits<double>::infinity(), "Infinity");
  check_text(-std::numeric_limits<double>::infinity(), "-Infinity");
  check_text(std::numeric_limits<float>::infinity(), "Infinity");
  check_text(3.4028235e+38f, "3.4028235e+38");
  check_text(5e-324, "5e-324");  // as PostgreSQL prints the smallest subnormal
  check_text(1e-45f, "1e-45");
  BOOST_TEST(written(std::numeric_limits<double>::quiet_NaN()) == "NaN");
  BOOST_TEST(std::isnan(text_format<double>::read("NaN")));
  BOOST_TEST(std::isnan(text_format<float>::read("NaN")));
  BOOST_TEST(text_format<double>::read("1.2345678901234568e+20") == 123456789012345680000.0);
}

BOOST_AUTO_TEST_CASE(floating_point_refusals) {
  for (const char* text :
       {"", " 1", "1 ", "1.5x", "inf", "-inf", "nan", "infinity", "Infinityx", "0x10", "+1", "1,5"})
    check_refused<double>(text, "not a number of type double precision");
  check_refused<double>("1e400", "out of range for double precision");
  check_refused<float>("1e39", "out of range for real");
  check_refused<float>("NAN", "not a number of type real");
}

BOOST_AUTO_TEST_CASE(numerics_keep_their_text) {
  const std::string long_digits = std::string(1000, '9') + "." + std::string(1000, '1');
  for (const std::string& text :
       {std::string("0"), std::string("-0.001"), std::string("12.50"), std::string("NaN"),
        std::string("Infinity"), std::string("-Infinity"), std::string("1e3"),
        std::string("1.5E-7"), std::string("-2e+10"), long_digits, "-" + long_digits})
    check_text(pgfns::numeric(text), text);
  BOOST_TEST(pgfns::numeric().str() == "0");
  BOOST_TEST(pgfns::numeric(std::numeric_limits<std::int64_t>::min()).str() ==
             "-9223372036854775808");
  BOOST_TEST(pgfns::numeric(std::int64_t{9223372036854775807}).str() == "9223372036854775807");
  BOOST_TEST((pgfns::numeric("1.0") != pgfns::numeric("1.00")));  // the scale is kept
}

BOOST_AUTO_TEST_CASE(numerics_as_the_nearest_double) {
  const auto d = [](const std::string& text) { return pgfns::numeric(text).to_double(); };
  constexpr double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST(d("12.50") == 12.5);
  BOOST_TEST(d("-0.001") == -0.001);
  BOOST_TEST(d("1.5E-7") == 1.5e-7);
  BOOST_TEST(d("Infinity") == inf);
  BOOST_TEST(d("-Infinity") == -inf);
  BOOST_TEST(std::isnan(d("NaN")));
  BOOST_TEST(d(std::string(1000, '9')) == inf);
  BOOST_TEST(d("-" + std::string(400, '9') + ".5") == -inf);
  BOOST_TEST(d("1e400") == inf);
  BOOST_TEST(d("0.00001e309") == 1e304);
  BOOST_TEST(d("10e-400") == 0.0);
  BOOST_TEST(d("0." + std::string(1000, '0') + "1") == 0.0);
  BOOST_TEST(std::signbit(d("-0." + std::string(1000, '0') + "1")));
  BOOST_TEST(d("1e99999999999999999999") == inf);
  BOOST_TEST(d("1e-99999999999999999999") == 0.0);
}

BOOST_AUTO_TEST_CASE(numeric_refusals) {
  for (const char* text : {"", "-", "1.", ".5", "+1", "1e", "1e+", "e5", "abc", "nan", "inf",
                           "infinity", "1 ", " 1", "1,5", "--1", "1.2.3", "0x1", "1e5.5"}) {
    check_refused<pgfns::numeric>(text, "not a numeric");
    BOOST_CHECK_THROW(pgfns::numeric{std::string_view(text)}, std::invalid_argument);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text_format_uuid)

BOOST_AUTO_TEST_CASE(postgresqls_input_forms_and_the_canonical_output) {
  const std::string canonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";
  const pgfns::uuid u = pgfns::uuid::parse(canonical);
  BOOST_TEST(u.bytes[0] == 0xa0);
  BOOST_TEST(u.bytes[15] == 0x11);
  check_text(u, canonical);
  for (const char* text :
       {"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
        "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11",
        "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}", "A0eeBC999c0b4EF8bb6d6bb9bd380a11"})
    BOOST_TEST((text_format<pgfns::uuid>::read(text) == u), text);
  check_text(pgfns::uuid{}, "00000000-0000-0000-0000-000000000000");
  pgfns::uuid ff;
  ff.bytes.fill(0xff);
  check_text(ff, "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

BOOST_AUTO_TEST_CASE(uuid_refusals) {
  for (const char* text :
       {"", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11",
        "a0e-ebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "g0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{}"}) {
    check_refused<pgfns::uuid>(text, "not a uuid");
    BOOST_CHECK_THROW(pgfns::uuid::parse(text), std::invalid_argument);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text_format_json)

namespace json = boost::json;

json::value nested_arrays(std::size_t depth) {
  json::value v = json::array();
  for (std::size_t i = 1; i < depth; ++i) v = json::array{std::move(v)};
  return v;
}

BOOST_AUTO_TEST_CASE(json_round_trips_as_its_serialised_text) {
  const json::value v =
      json::parse(R"({"a":[1,2.5,"x\"y",null,true],"b":{"c":-9223372036854775808}})");
  const std::string text = written(v);
  BOOST_TEST(text == json::serialize(v));
  BOOST_TEST(text_format<json::value>::read(text) == v);
  // As jsonb prints it: spaces after ':' and ','.
  BOOST_TEST(text_format<json::value>::read(R"({"a": [1, 2.5], "b": "é"})") ==
             json::parse(R"({"a":[1,2.5],"b":"é"})"));
  check_text(json::value("text"), "\"text\"");
  check_text(json::value(nullptr), "null");
  check_text(nested_arrays(pgfns::max_json_depth), written(nested_arrays(pgfns::max_json_depth)));
}

BOOST_AUTO_TEST_CASE(json_writing_refuses_what_could_not_be_read_back) {
  using pgfns::test::check_write_refused;
  check_write_refused(nested_arrays(pgfns::max_json_depth + 1), "deeper than 1000 levels");
  check_write_refused(json::value(std::numeric_limits<double>::infinity()), "not finite");
  check_write_refused(json::value{{"a", json::array{1, std::numeric_limits<double>::quiet_NaN()}}},
                      "not finite");
}

BOOST_AUTO_TEST_CASE(json_refusals) {
  check_refused<json::value>("", "not valid JSON");
  check_refused<json::value>("{oops", "not valid JSON");
  check_refused<json::value>("[1] x", "not valid JSON");
  check_refused<json::value>("[1e400]", "beyond the range of a double");
  const std::string deep =
      std::string(pgfns::max_json_depth + 1, '[') + std::string(pgfns::max_json_depth + 1, ']');
  check_refused<json::value>(deep, "deeper than 1000 levels");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text_format_bytea)

BOOST_AUTO_TEST_CASE(every_byte_in_hex) {
  pgfns::bytea all;
  std::string text = "\\x";
  for (int b = 0; b < 256; ++b) {
    all.push_back(static_cast<std::byte>(b));
    text += "0123456789abcdef"[b >> 4];
    text += "0123456789abcdef"[b & 15];
  }
  check_text(all, text);
  check_text(pgfns::bytea{}, "\\x");
  BOOST_TEST((text_format<pgfns::bytea>::read("\\xDEADbeef") ==
              pgfns::bytea{std::byte{0xde}, std::byte{0xad}, std::byte{0xbe}, std::byte{0xef}}));
}

BOOST_AUTO_TEST_CASE(bytea_refusals) {
  check_refused<pgfns::bytea>("abc\\000", "bytea_output=hex");
  check_refused<pgfns::bytea>("", "bytea_output=hex");
  check_refused<pgfns::bytea>("\\X00", "bytea_output=hex");
  check_refused<pgfns::bytea>("\\x0", "odd number of hex digits");
  check_refused<pgfns::bytea>("\\x0g", "not hex");
  check_refused<pgfns::bytea>("\\x 0", "not hex");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text_format_refusal_text)

BOOST_AUTO_TEST_CASE(the_text_is_quoted_short_and_on_one_line) {
  using pgfns::detail::quoted_excerpt;
  BOOST_TEST(quoted_excerpt("12x") == "\"12x\"");
  BOOST_TEST(quoted_excerpt(std::string(40, 'a')) == "\"" + std::string(40, 'a') + "\"");
  BOOST_TEST(quoted_excerpt(std::string(41, 'a')) == "\"" + std::string(40, 'a') + "...\"");
  BOOST_TEST(quoted_excerpt("a\nb\\") == "\"a\\x0ab\\\\\"");
  // 40 characters, not bytes: a two-byte character is not cut in half.
  const std::string e_acute = "\xc3\xa9";
  std::string many;
  for (int i = 0; i < 41; ++i) many += e_acute;
  BOOST_TEST(quoted_excerpt(many) == "\"" + many.substr(0, 80) + "...\"");
  try {
    (void)text_format<double>::read("12x");
    BOOST_ERROR("no exception");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()) == "not a number of type double precision: \"12x\"");
  }
}

BOOST_AUTO_TEST_SUITE_END()

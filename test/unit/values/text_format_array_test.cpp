// text_format for one-dimensional arrays: every element written quoted and escaped, and
// PostgreSQL's array literals read back, quoted or not; NULL elements, more dimensions and
// explicit bounds refused, each with its own reason.
#include <pgfns/text_format.hpp>

#include "text_format_checks.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

using pgfns::text_format;
using pgfns::test::check_refused;
using pgfns::test::check_text;
using pgfns::test::written;

namespace {

// The elements of `text`, as split_array returns them.
std::vector<std::string> split(std::string_view text) {
  std::string scratch;
  const auto views = pgfns::detail::split_array(text, scratch);
  return {views.begin(), views.end()};
}

// Each of `elements` written with append_array_element, and the literal split again.
std::string literal_of(const std::vector<std::string>& elements) {
  std::string out = "{";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i) out += ',';
    pgfns::detail::append_array_element(out, elements[i]);
  }
  return out + "}";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(text_format_array)

BOOST_AUTO_TEST_CASE(elements_with_special_characters_survive) {
  const std::vector<std::string> elements = {"plain",
                                             "with \"quotes\"",
                                             "back\\slash",
                                             "a,b",
                                             "{braces}",
                                             " spaced ",
                                             "",
                                             "NULL",
                                             "null",
                                             "\\\"",
                                             "tab\there",
                                             "new\nline",
                                             "é ünïcödé",
                                             "}",
                                             "{",
                                             ",",
                                             "\"",
                                             "\\"};
  const std::string literal = literal_of(elements);
  BOOST_TEST(literal.rfind(R"({"plain","with \"quotes\"","back\\slash","a,b","{braces}",)"
                           R"(" spaced ","","NULL","null","\\\"",)",
                           0) == 0,
             literal);
  BOOST_TEST(split(literal) == elements, boost::test_tools::per_element());
  BOOST_TEST(split(literal_of({})).empty());
  BOOST_TEST(literal_of({}) == "{}");
}

BOOST_AUTO_TEST_CASE(literals_as_postgresql_prints_them) {
  using v = std::vector<std::string>;
  BOOST_TEST(split("{}").empty());
  BOOST_TEST(split("{1,2,3}") == (v{"1", "2", "3"}), boost::test_tools::per_element());
  BOOST_TEST(split(R"({a,"b c","d\"e","f\\g",""})") == (v{"a", "b c", "d\"e", "f\\g", ""}),
             boost::test_tools::per_element());
  BOOST_TEST(split(R"({"NULL",NULLx,xNULL})") == (v{"NULL", "NULLx", "xNULL"}),
             boost::test_tools::per_element());
  // What array_in also takes: white space around elements, escapes outside quotes (the
  // server prints these three as {a,b,"c d"} and {"a,b","c ","NULL"}).
  BOOST_TEST(split(" { a , \"b\" ,c d } ") == (v{"a", "b", "c d"}),
             boost::test_tools::per_element());
  BOOST_TEST(split(R"({a\,b,c\ ,N\ULL})") == (v{"a,b", "c ", "NULL"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(typed_arrays_round_trip) {
  check_text(std::vector<double>{}, "{}");
  check_text(std::vector<double>{1.5, -0.0, 1e100, -std::numeric_limits<double>::infinity()},
             R"({"1.5","-0","1e+100","-Infinity"})");
  BOOST_TEST(text_format<std::vector<double>>::read("{1.5,-0,1e+100,-Infinity,NaN}").size() == 5u);
  BOOST_TEST(std::isnan(text_format<std::vector<double>>::read("{NaN}").at(0)));

  const auto u = pgfns::uuid::parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  check_text(std::vector<pgfns::uuid>{u, pgfns::uuid{}},
             R"({"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","00000000-0000-0000-0000-000000000000"})");
  BOOST_TEST((text_format<std::vector<pgfns::uuid>>::read(
                  "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}") == std::vector<pgfns::uuid>{u}));

  check_text(std::vector<pgfns::numeric>{pgfns::numeric("1.50"), pgfns::numeric("NaN")},
             R"({"1.50","NaN"})");
  BOOST_TEST((text_format<std::vector<pgfns::numeric>>::read("{1.50,-2,NaN}") ==
              std::vector<pgfns::numeric>{pgfns::numeric("1.50"), pgfns::numeric("-2"),
                                          pgfns::numeric("NaN")}));

  namespace json = boost::json;
  const std::vector<json::value> docs = {json::parse(R"({"a":"x\"y\\z","b":[1,{}]})"),
                                         json::value("NULL"), json::value(nullptr), json::value(""),
                                         json::array{}};
  const std::string text = written(docs);
  BOOST_TEST(text_format<std::vector<json::value>>::read(text) == docs,
             boost::test_tools::per_element());
  // As the server prints a jsonb[]: elements quoted only when they must be.
  BOOST_TEST(
      text_format<std::vector<json::value>>::read(R"({"{\"a\": 1}","null","[1, 2]",3,"\"x\""})") ==
          (std::vector<json::value>{json::parse(R"({"a":1})"), json::value(nullptr),
                                    json::parse("[1,2]"), json::value(3), json::value("x")}),
      boost::test_tools::per_element());

  check_text(std::vector<pgfns::bytea>{{std::byte{0}, std::byte{0xff}}, {}},
             R"({"\\x00ff","\\x"})");
}

BOOST_AUTO_TEST_CASE(array_refusals) {
  using doubles = std::vector<double>;
  check_refused<doubles>("{NULL}", "an array with a NULL element");
  check_refused<doubles>("{1,null,2}", "an array with a NULL element");
  check_refused<doubles>("{1, NuLl }", "an array with a NULL element");
  check_refused<doubles>("{{1,2},{3,4}}", "a multi-dimensional array");
  check_refused<doubles>("{1,{2}}", "a multi-dimensional array");
  check_refused<doubles>("[1:2]={1,2}", "an array with explicit bounds");
  check_refused<doubles>("[0:1]={1,2}", "an array with explicit bounds");
  check_refused<doubles>("  [1:2]={1,2}", "an array with explicit bounds");
  for (const char* text : {"", "1,2", "{1,2", "{1,,2}", "{,}", "{1,}", "{\"a}", "{a\"b\"}", "{1}x",
                           "{1}}", "{\"a\"b}", "{a\\}", "{ }x", "(1,2)"})
    check_refused<doubles>(text, "not an array literal");
  // An element the element type refuses: that type's reason, quoting the element.
  const auto refused_element = [](std::string_view reason) {
    return
        [reason](const std::invalid_argument& e) { return std::string_view(e.what()) == reason; };
  };
  BOOST_CHECK_EXCEPTION(text_format<doubles>::read("{1,x}"), std::invalid_argument,
                        refused_element("not a number of type double precision: \"x\""));
  BOOST_CHECK_EXCEPTION(text_format<std::vector<pgfns::uuid>>::read("{\"\"}"),
                        std::invalid_argument, refused_element("not a uuid: \"\""));
}

BOOST_AUTO_TEST_SUITE_END()

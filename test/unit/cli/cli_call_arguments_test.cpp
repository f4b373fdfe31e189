// How `pgfns call` reads its ARGs and --named: JSON where the word looks like JSON, and an
// error (never a string) when such a word does not parse.
#include "call_arguments.hpp"
#include "options.hpp"

#include <pgfns/value.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace json = boost::json;
using pgfns::cli::call_argument;
using pgfns::cli::usage_error;

namespace {

// The usage error call_argument(word, 2) throws, "" when it throws none.
std::string refusal(const std::string& word) {
  try {
    call_argument(word, 2);
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_call_arguments)

BOOST_AUTO_TEST_CASE(scalars_and_text_keep_their_meaning) {
  BOOST_TEST(call_argument("42", 1) == json::value(42));
  BOOST_TEST(call_argument("-1.5", 1) == json::value(-1.5));
  BOOST_TEST(call_argument(" 7 ", 1) == json::value(7));
  BOOST_TEST(call_argument("18446744073709551615", 1) == json::value(18446744073709551615u));
  BOOST_TEST(call_argument("true", 1) == json::value(true));
  BOOST_TEST(call_argument("null", 1).is_null());
  BOOST_TEST(call_argument("abc", 1) == json::value("abc"));
  BOOST_TEST(call_argument("", 1) == json::value(""));
  BOOST_TEST(call_argument("2024-01-02", 1) == json::value("2024-01-02"));
  BOOST_TEST(call_argument("True", 1) == json::value("True"));
  BOOST_TEST(call_argument("42abc", 1) == json::value("42abc"));
  BOOST_TEST(call_argument("a {b}", 1) == json::value("a {b}"));
  BOOST_TEST(call_argument("\xff\xfe", 1) == json::value("\xff\xfe"));
}

BOOST_AUTO_TEST_CASE(json_words_parse_as_json) {
  BOOST_TEST(call_argument(R"({"a": [1, "x"]})", 1) == json::parse(R"({"a":[1,"x"]})"));
  BOOST_TEST(call_argument(" [1,2]", 1) == json::parse("[1,2]"));
  BOOST_TEST(call_argument(R"("quoted")", 1) == json::value("quoted"));
  BOOST_TEST(call_argument(R"("{not json}")", 1) == json::value("{not json}"));
  // 33 levels: past Boost.JSON's default limit of 32, within pgfns's.
  BOOST_TEST(call_argument(nested(33), 1).is_array());
  BOOST_TEST(call_argument(nested(pgfns::max_json_depth), 1).is_array());
}

// A word that starts like JSON and does not parse was sent as a string before: now it is a
// usage error naming the argument and the reason.
BOOST_AUTO_TEST_CASE(json_words_that_do_not_parse_are_refused) {
  for (const std::string word : {R"({"a":)", "[1,2", R"("open)", " {oops}", "[1] x", "{'a': 1}"}) {
    const std::string why = refusal(word);
    BOOST_TEST_CONTEXT(word) {
      BOOST_TEST(why.starts_with("argument 2 of 'pgfns call' starts with '"), why);
      BOOST_TEST(why.find("is not valid JSON (") != std::string::npos, why);
      BOOST_TEST(why.find('\n') == std::string::npos);
    }
  }
  const std::string deep = refusal(nested(pgfns::max_json_depth + 1));
  BOOST_TEST(deep.find("nested deeper than 1000 levels") != std::string::npos, deep);
}

// Boost.JSON reads these as doubles that differ from what was written: refused rather than
// changed.
BOOST_AUTO_TEST_CASE(numbers_a_double_would_change_are_refused) {
  BOOST_TEST(refusal("123456789012345678901234").find("an integer beyond 64 bits") !=
             std::string::npos);
  BOOST_TEST(refusal("1e400").find("beyond the range of a double") != std::string::npos);
  BOOST_TEST(refusal("-1e400").find("beyond the range of a double") != std::string::npos);
  BOOST_TEST(call_argument(R"("123456789012345678901234")", 1) ==
             json::value("123456789012345678901234"));
  BOOST_TEST(call_argument("1.5e3", 1) == json::value(1500.0));
}

BOOST_AUTO_TEST_CASE(named_arguments_are_one_json_object) {
  const std::vector<std::string> none;
  const std::vector<std::string> one{"1"};
  BOOST_TEST(pgfns::cli::call_arguments(none, std::string(R"({"id_in": 1})")) ==
             json::parse(R"({"id_in":1})"));
  BOOST_TEST(pgfns::cli::call_arguments(one, std::nullopt) == json::parse("[1]"));
  BOOST_CHECK_THROW(pgfns::cli::call_arguments(one, std::string("{}")), usage_error);
  BOOST_CHECK_THROW(pgfns::cli::call_arguments(none, std::string("[1]")), usage_error);
  const std::string deep = R"({"a_in": )" + nested(40) + "}";
  BOOST_TEST(pgfns::cli::call_arguments(none, deep).is_object());
  try {
    pgfns::cli::call_arguments(none, std::string(R"({"a_in":)"));
    BOOST_ERROR("no error");
  } catch (const usage_error& e) {
    BOOST_TEST(std::string(e.what()).starts_with("--named is not valid JSON ("), e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()

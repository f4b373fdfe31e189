// The injection corpus (test/support/injection_corpus.hpp) against everything that decides, with
// no server, what text reaches SQL: method lookup, the argument-name rule, identifier and dollar
// quoting, and parameter encoding (values travel out of band, byte for byte).
#include "client/call/call_rules.hpp"
#include "common/sql_text.hpp"
#include "core_db.hpp"
#include "injection_corpus.hpp"

#include <pgfns/error.hpp>
#include <pgfns/value.hpp>

#include <boost/json/object.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <set>
#include <stdexcept>

using pgfns::test::injection_corpus;

namespace {

constexpr pgfns::oid_t text_oid = 25;

// The name inside a double-quoted identifier, or nullopt when `quoted` is not exactly one
// quoted identifier (a lone `"` inside would end it early).
std::optional<std::string> unquote_identifier(std::string_view quoted) {
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') return std::nullopt;
  std::string name;
  const std::string_view inner = quoted.substr(1, quoted.size() - 2);
  for (std::size_t i = 0; i < inner.size(); ++i) {
    if (inner[i] == '"') {
      if (i + 1 == inner.size() || inner[i + 1] != '"') return std::nullopt;
      ++i;
    }
    name += inner[i];
  }
  return name;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(injection_refusal)

BOOST_AUTO_TEST_CASE(the_corpus_has_no_duplicates_and_covers_unstorable_text) {
  std::set<std::string> seen;
  std::size_t unstorable = 0;
  for (const auto& s : injection_corpus()) {
    BOOST_TEST(seen.insert(s.text).second, s.text);
    unstorable += s.storable ? 0 : 1;
  }
  BOOST_TEST(seen.size() > 100u);
  BOOST_TEST(unstorable > 0u);
}

BOOST_AUTO_TEST_CASE(no_corpus_text_names_a_method) {
  const auto schema = pgfns::test::core_schema();
  for (const auto& s : injection_corpus()) {
    BOOST_TEST(schema->find_method(s.text) == nullptr, s.text);
    const auto r = pgfns::detail::check_method(schema->find_method(s.text), s.text, "shop", true,
                                               schema->latest_version(), schema->methods());
    BOOST_TEST(r.ec == pgfns::errc::unknown_method, s.text);
  }
}

BOOST_AUTO_TEST_CASE(no_corpus_text_is_a_valid_argument_name) {
  for (const auto& s : injection_corpus()) {
    BOOST_TEST(!pgfns::detail::valid_argument_name(s.text), s.text);
    // Alone, or after a valid key: the call is refused either way.
    for (bool after_valid : {false, true}) {
      boost::json::object args;
      if (after_valid) args["name_in"] = "x";
      args[s.text] = 1;
      const auto r = pgfns::detail::check_named_arguments(args, "add_item");
      BOOST_TEST(r.ec == pgfns::errc::bad_arguments, s.text);
      BOOST_TEST(r.message.rfind("named argument ", 0) == 0u, r.message);
      BOOST_TEST(r.message.find("does not match ^[a-z0-9_]+_in$") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(quoted_identifiers_hold_exactly_the_text) {
  for (const auto& s : injection_corpus()) {
    const auto name = unquote_identifier(pgfns::detail::quote_identifier(s.text));
    BOOST_TEST(name.has_value(), s.text);
    if (name) BOOST_TEST(*name == s.text);
  }
}

BOOST_AUTO_TEST_CASE(dollar_quotes_use_a_tag_the_text_does_not_contain) {
  for (const auto& s : injection_corpus()) {
    const std::string q = pgfns::detail::dollar_quote(s.text);
    const auto tag_end = q.find('$', 1);
    BOOST_TEST_REQUIRE(tag_end != std::string::npos, s.text);
    const std::string tag = q.substr(0, tag_end + 1);
    BOOST_TEST(q.size() == 2 * tag.size() + s.text.size(), s.text);
    BOOST_TEST(q.substr(tag.size(), s.text.size()) == s.text);
    BOOST_TEST(q.substr(q.size() - tag.size()) == tag);
    BOOST_TEST(s.text.find(tag) == std::string::npos, s.text);
  }
}

BOOST_AUTO_TEST_CASE(values_are_encoded_byte_for_byte_and_nul_is_refused) {
  for (const auto& s : injection_corpus()) {
    std::string out;
    const bool has_nul = s.text.find('\0') != std::string::npos;
    if (has_nul) {
      BOOST_CHECK_THROW(pgfns::encode_param(boost::json::value(s.text), text_oid, out),
                        std::invalid_argument);
    } else {
      BOOST_TEST(pgfns::encode_param(boost::json::value(s.text), text_oid, out));
      BOOST_TEST(out == s.text);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

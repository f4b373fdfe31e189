// What `pgfns call` does with its input, by running the built binary: a word that starts like
// JSON must be JSON (never sent as a string), the service and numeric options are checked
// before anything connects, a json row deeper than pgfns reads is an error (never a string),
// and an unknown method's name is shown escaped on one line.
#include "core_db.hpp"
#include "run_process.hpp"
#include "schema_test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <string>
#include <vector>

using pgfns::test::process_result;

namespace {

// `pgfns call --db core-db --service SERVICE --write-url URL ARGS...`
process_result call_at(const std::string& url, const std::vector<std::string>& args,
                       const std::string& service = "shop") {
  std::vector<std::string> argv = {pgfns::test::env_dir("PGFNS_CLI").string(),
                                   "call",
                                   "--db",
                                   pgfns::test::own_fixture("core-db").string(),
                                   "--service",
                                   service,
                                   "--write-url",
                                   url};
  argv.insert(argv.end(), args.begin(), args.end());
  return pgfns::test::run_process(argv);
}

// No server listens there: a usage error shows that nothing was sent (or even connected).
const std::string nowhere = "postgresql://127.0.0.1:1/nothing?connect_timeout=1";

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

bool one_line(const std::string& s) {
  return std::count(s.begin(), s.end(), '\n') == 1 && s.back() == '\n';
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_call_input)

BOOST_AUTO_TEST_CASE(a_word_that_starts_like_json_must_be_json) {
  for (const std::string word : {R"({"a":)", "[1,2", R"("open)", "  {oops}"}) {
    const auto r = call_at(nowhere, {"echo_jsonb", word});
    BOOST_TEST_CONTEXT(word) {
      BOOST_TEST(r.exit_code == 2, r.err);
      BOOST_TEST(r.err.starts_with("error: argument 1 of 'pgfns call' starts with '"), r.err);
      BOOST_TEST(r.err.find("but is not valid JSON (") != std::string::npos, r.err);
      BOOST_TEST(one_line(r.err), r.err);
      BOOST_TEST(r.out.empty());
    }
  }
  const auto deep = call_at(nowhere, {"echo_jsonb", nested(1001)});
  BOOST_TEST(deep.exit_code == 2);
  BOOST_TEST(deep.err.find("nested deeper than 1000 levels") != std::string::npos, deep.err);
  const auto named = call_at(nowhere, {"--named", R"({"v_in":)", "echo_jsonb"});
  BOOST_TEST(named.exit_code == 2);
  BOOST_TEST(named.err.starts_with("error: --named is not valid JSON ("), named.err);
  const auto big = call_at(nowhere, {"echo_numeric", "123456789012345678901234"});
  BOOST_TEST(big.exit_code == 2);
  BOOST_TEST(big.err.find("an integer beyond 64 bits") != std::string::npos, big.err);
}

BOOST_AUTO_TEST_CASE(the_service_must_be_one_of_the_schema) {
  const auto r = call_at(nowhere, {"sum_two", "1", "2"}, "nonexistent");
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err ==
             "error: --service \"nonexistent\" is not a service of the schema (its services: "
             "audit, shop)\n");
}

BOOST_AUTO_TEST_CASE(a_negative_statement_timeout_is_refused) {
  const auto r = call_at(nowhere, {"--statement-timeout-ms", "-1", "sum_two", "1", "2"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err.starts_with("error: option --statement-timeout-ms of 'pgfns call' expects 0 "
                               "or more milliseconds"),
             r.err);
  BOOST_TEST(one_line(r.err), r.err);
}

BOOST_AUTO_TEST_CASE(json_and_rows_as_deep_as_the_limit_go_through) {
  pgfns::test::core_database db{"cli_input"};
  const std::string url = db.scratch().write_url();
  // 33 levels: past Boost.JSON's default limit (32), which used to send this as a string.
  const auto r33 = call_at(url, {"echo_jsonb", nested(33)});
  BOOST_TEST(r33.exit_code == 0, r33.err);
  BOOST_TEST(r33.out == "{\"v\":" + nested(33) + "}\n");
  const auto r1000 = call_at(url, {"jsonb_of_text", "\"" + nested(1000) + "\""});
  BOOST_TEST(r1000.exit_code == 0, r1000.err);
  BOOST_TEST(r1000.out == "{\"v\":" + nested(1000) + "}\n");
}

// The server accepts jsonb nested deeper than pgfns reads (about 14,500 levels by default): such
// a row is an error naming method, column and reason, where it used to come back as a string.
BOOST_AUTO_TEST_CASE(a_row_deeper_than_the_limit_is_an_error) {
  pgfns::test::core_database db{"cli_deep"};
  const std::string url = db.scratch().write_url();
  for (const std::size_t depth : {1001u, 14000u}) {
    const auto r = call_at(url, {"jsonb_of_text", "\"" + nested(depth) + "\""});
    BOOST_TEST_CONTEXT(depth) {
      BOOST_TEST(r.exit_code == 1);
      BOOST_TEST(r.out.empty());
      BOOST_TEST(r.err.starts_with("error: protocol_error: reading the result: column \"v\" of "
                                   "row 1: JSON nested deeper than 1000 levels"),
                 r.err.substr(0, 300));
      BOOST_TEST(r.err.find("(method jsonb_of_text, ") != std::string::npos, r.err.substr(0, 300));
      BOOST_TEST(one_line(r.err));
    }
  }
}

BOOST_AUTO_TEST_CASE(an_unknown_methods_name_is_shown_escaped) {
  pgfns::test::core_database db{"cli_unknown"};
  const auto r = call_at(db.scratch().write_url(), {"no\xffpe\n\x1b[2J"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err == R"(error: unknown_method: no method "no\xffpe\x0a\x1b[2J" in the schema )"
                      R"((version 2) (method no\xffpe\x0a\x1b[2J))"
                      "\n");
}

BOOST_AUTO_TEST_SUITE_END()

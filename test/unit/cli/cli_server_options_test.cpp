// The `pgfns` binary's options for the commands that talk to a server: time bounds
// (--connect-timeout, --timeout) and URLs from the environment, checked by running it. What
// they do against a server is in integration.admin_freeze_test and integration.upgrade_cli_test.
#include "run_process.hpp"
#include "schema_test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <utility>
#include <vector>

using pgfns::test::process_result;

namespace {

process_result pgfns_cli(std::vector<std::string> args) {
  args.insert(args.begin(), pgfns::test::env_dir("PGFNS_CLI").string());
  return pgfns::test::run_process(args);
}

std::string example_db() {
  return (pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db").string();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_server_options)

// Every command that talks to a server is bounded: --connect-timeout and --timeout, in
// seconds, and its URLs may come from the environment.
BOOST_AUTO_TEST_CASE(server_commands_document_their_time_bounds_and_environment) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> commands = {
      {{"upgrade", "--help"}, "default 3600"},
      {{"downgrade", "--help"}, "default 3600"},
      {{"db-version", "--help"}, "default 60"},
      {{"check", "--help"}, "default 60"},
      {{"call", "--help"}, "0: no deadline (default 30)"}};
  for (const auto& [args, timeout_default] : commands) {
    const auto r = pgfns_cli(args);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(contains(r.out, "[--connect-timeout SECONDS]"), r.out);
    BOOST_TEST(contains(r.out, "[--timeout SECONDS]"), r.out);
    BOOST_TEST(contains(r.out, timeout_default), r.out);
    const char* env = args[0] == "call" ? "$PGFNS_WRITE_URL" : "$PGFNS_ADMIN_URL";
    BOOST_TEST(contains(r.out, env), r.out);
  }
  BOOST_TEST(contains(pgfns_cli({"call", "--help"}).out, "$PGFNS_READ_URL"));
}

BOOST_AUTO_TEST_CASE(a_bad_time_bound_is_a_usage_error_naming_the_option) {
  const std::string url = "postgresql://u:s3cr3t@127.0.0.1:1/db";
  const std::vector<std::vector<std::string>> commands = {
      {"db-version", "--admin-url", url},
      {"check", "--db", example_db(), "--admin-url", url, "--prefix", "p"},
      {"upgrade", "--db", example_db(), "--admin-url", url, "--prefix", "p"},
      {"call", "--db", example_db(), "--service", "orders", "--write-url", url, "get_product",
       "1"}};
  for (auto args : commands) {
    for (const char* option : {"--timeout", "--connect-timeout"}) {
      auto bad = args;
      bad.insert(bad.begin() + 1, {option, "-1"});
      const auto r = pgfns_cli(bad);
      BOOST_TEST(r.exit_code == 2, r.err);
      BOOST_TEST(r.err.starts_with("error: option " + std::string(option) + " of 'pgfns " +
                                   args[0] + "' expects a number of seconds"),
                 r.err);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_missing_url_names_its_environment_variable) {
  pgfns::test::process_options o;
  o.env = {"PGFNS_ADMIN_URL", "PGFNS_WRITE_URL"};
  std::vector<std::string> args = {pgfns::test::env_dir("PGFNS_CLI").string(), "db-version"};
  auto r = pgfns::test::run_process(args, o);
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err ==
             "error: missing required option --admin-url URL for 'pgfns db-version' (or set "
             "PGFNS_ADMIN_URL in the environment)\n");
  args = {pgfns::test::env_dir("PGFNS_CLI").string(),
          "call",
          "--db",
          example_db(),
          "--service",
          "orders",
          "get_product"};
  r = pgfns::test::run_process(args, o);
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(contains(r.err, "(or set PGFNS_WRITE_URL in the environment)"), r.err);
}

BOOST_AUTO_TEST_SUITE_END()

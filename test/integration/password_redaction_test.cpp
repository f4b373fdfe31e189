// Passwords from connection strings never show in the schema lifecycle: not in what upgrade,
// downgrade, db_version and the checks throw, not in their progress events, not in anything
// `pgfns upgrade|downgrade|db-version|check` prints, whether the connection fails (a wrong
// password the server really checks, no such database, nothing listening, a URL libpq cannot
// parse) or succeeds. Each password form libpq accepts is tried (password_login.hpp): in the
// URL, percent-encoded in part or in full, as `?password=`, and as `password=` in a keyword
// string. The errors still say which server, user and database failed.
#include "password_login.hpp"
#include "run_process.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <functional>

using namespace pgfns;
using namespace pgfns::test;

namespace {

void expect_no_password(const std::string& text) {
  BOOST_TEST(!shows_password(text), "password shown in: " << text);
}

schema example_schema() {
  return schema::from_db_directory(env_dir("PGFNS_SOURCE_DIR") / "db");
}

upgrade_options options(const password_login& f, const std::string& url,
                        std::vector<progress_event>* events) {
  auto o = options_for(f.db, f.roles.prefix(), events);
  o.admin_url = url;
  return o;
}

process_result cli(std::vector<std::string> args) {
  args.insert(args.begin(), std::getenv("PGFNS_CLI"));
  return run_process(args);
}

std::string db_dir() {
  return (env_dir("PGFNS_SOURCE_DIR") / "db").string();
}

// Runs `attempt`, which must throw upgrade_error, and checks its text.
void expect_clean_failure(const std::function<void()>& attempt, const failing_url& f) {
  try {
    attempt();
    BOOST_ERROR("connected with " << f.label);
  } catch (const upgrade_error& e) {
    const std::string what = e.what();
    expect_no_password(what);
    expect_no_password(e.message());
    BOOST_TEST(what.find("cannot connect to ") != std::string::npos, what);
    for (const auto& part : f.where) BOOST_TEST(what.find(part) != std::string::npos, what);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(password_redaction)

BOOST_FIXTURE_TEST_CASE(library_errors_name_the_server_but_not_the_password, password_login) {
  const auto s = example_schema();
  std::vector<progress_event> events;
  for (const auto& f : failing_urls()) {
    BOOST_TEST_CONTEXT(f.label) {
      auto o = options(*this, f.url, &events);
      expect_clean_failure([&] { upgrade(s, o); }, f);
      expect_clean_failure([&] { plan_upgrade(s, o); }, f);
      o.target = 0;
      expect_clean_failure([&] { downgrade(s, o); }, f);
      expect_clean_failure([&] { plan_downgrade(s, o); }, f);
      expect_clean_failure([&] { db_version(f.url); }, f);
      expect_clean_failure([&] { check_grants(f.url, s, roles.prefix()); }, f);
      expect_clean_failure([&] { check_tables(f.url, s); }, f);
      expect_clean_failure([&] { check_database(f.url, s, roles.prefix()); }, f);
    }
  }
  for (const auto& e : events) expect_no_password(to_string(e));
  BOOST_TEST(db_version(db.write_url()) == 0);
}

BOOST_FIXTURE_TEST_CASE(cli_failures_name_the_server_but_not_the_password, password_login) {
  for (const auto& f : failing_urls()) {
    const std::vector<std::string> common{"--db", db_dir(),   "--admin-url",
                                          f.url,  "--prefix", roles.prefix()};
    const std::vector<std::vector<std::string>> commands{
        {"upgrade"}, {"upgrade", "--dry-run"}, {"downgrade", "--to", "0"}, {"check"}};
    std::vector<std::vector<std::string>> runs{{"db-version", "--admin-url", f.url}};
    for (auto args : commands) {
      args.insert(args.end(), common.begin(), common.end());
      runs.push_back(args);
    }
    for (const auto& args : runs) {
      BOOST_TEST_CONTEXT(f.label << ": pgfns " << args.front()) {
        const auto r = cli(args);
        BOOST_TEST(r.exit_code == 1);
        BOOST_TEST(r.out == "");
        expect_no_password(r.err);
        BOOST_TEST(r.err.starts_with("error: cannot connect to "), r.err);
        for (const auto& part : f.where) BOOST_TEST(r.err.find(part) != std::string::npos, r.err);
      }
    }
  }
}

// The right password, in each form, does its work: proof that it reached the server, which
// asks for it. Nothing printed or reported on the way shows it.
BOOST_FIXTURE_TEST_CASE(successful_library_calls_show_no_password, password_login) {
  const auto s = example_schema();
  std::vector<progress_event> events;
  auto o = options(*this, good_uri(), &events);
  o.target = 2;
  expect_no_password(to_string(upgrade(s, o)));
  BOOST_TEST(db_version(good_full_uri()) == 2);
  o = options(*this, good_query_uri(), &events);
  expect_no_password(to_string(upgrade(s, o)));
  BOOST_TEST(check_database(good_keywords(), s, roles.prefix()).empty());
  o = options(*this, good_full_uri(), &events);
  o.target = 1;
  expect_no_password(to_string(downgrade(s, o)));
  BOOST_TEST(db_version(good_keywords()) == 1);
  BOOST_TEST(!events.empty());
  for (const auto& e : events) expect_no_password(to_string(e));
}

BOOST_FIXTURE_TEST_CASE(successful_commands_print_no_password, password_login) {
  const std::vector<std::pair<std::string, std::string>> forms{{"in the URL", good_uri()},
                                                               {"fully encoded", good_full_uri()},
                                                               {"?password=", good_query_uri()},
                                                               {"password=", good_keywords()}};
  const auto run = [&](const std::string& url, std::vector<std::string> args) {
    if (args.front() != "db-version")
      args.insert(args.end(), {"--db", db_dir(), "--prefix", roles.prefix()});
    args.insert(args.end(), {"--admin-url", url});
    const auto r = cli(args);
    BOOST_TEST(r.exit_code == 0, r.err);
    expect_no_password(r.out);
    expect_no_password(r.err);
    return r.out;
  };
  BOOST_TEST(run(forms[0].second, {"upgrade", "--create-users"}) == "database at version 4\n");
  for (const auto& [label, url] : forms) {
    BOOST_TEST_CONTEXT("the password " << label) {
      BOOST_TEST(run(url, {"db-version"}) == "4\n");
      BOOST_TEST(run(url, {"check"}) == "ok\n");
      BOOST_TEST(run(url, {"upgrade", "--dry-run"}).find("version 4") != std::string::npos);
    }
  }
  BOOST_TEST(run(forms[3].second, {"downgrade", "--to", "1"}) == "database at version 1\n");
  BOOST_TEST(db_version(db.write_url()) == 1);
}

// A connection string where the command line wanted something else is quoted back without
// its password (no server is needed for these).
BOOST_AUTO_TEST_CASE(usage_errors_never_echo_a_password) {
  const std::string url = "postgresql://u:" + percent_encoded(test_password) + "@h/db";
  const std::vector<std::vector<std::string>> command_lines{
      // `--admin-url $URL` unquoted: the shell split a keyword string in two.
      {"db-version", "--admin-url", "host=h", "password=" + test_password},
      {"db-version", "--admin-url", "postgresql://u@h/db", url},
      {"upgrade", "--db", db_dir(), "--prefix", "x", "--admin-url", "host=h",
       "--lock-timeout=" + url},
      {"downgrade", "--db", db_dir(), "--prefix", "x", "--admin-url", "host=h", "--to", url},
      {url, "db-version"},
  };
  for (const auto& args : command_lines) {
    BOOST_TEST_CONTEXT("pgfns " << args.front()) {
      const auto r = cli(args);
      BOOST_TEST(r.exit_code == 2, r.err);
      BOOST_TEST(r.err.starts_with("error: "), r.err);
      expect_no_password(r.err);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

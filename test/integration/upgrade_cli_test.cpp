// The commands `pgfns upgrade|downgrade|db-version|check` as a deploy job runs them: output
// on stdout, one progress line per version on stderr, exit codes 0 (done), 1 (failed or
// mismatches found), 2 (command line not understood).
#include "held_session.hpp"
#include "role_urls.hpp"
#include "run_process.hpp"
#include "upgrade_test.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <sstream>

using namespace pgfns;
using namespace pgfns::test;

namespace {

struct cli {
  service_roles roles{"cli"};
  scratch_database db{"cli"};
  std::string schema_dir = own_fixture("upgrade-lifecycle").string();

  process_result run(std::vector<std::string> args, std::vector<std::string> env = {}) const {
    args.insert(args.begin(), std::getenv("PGFNS_CLI"));
    process_options o;
    o.env = std::move(env);
    return run_process(args, o);
  }
  std::vector<std::string> common(const std::string& command) const {
    return {command, "--db", schema_dir, "--admin-url", db.write_url(), "--prefix", roles.prefix()};
  }
  std::vector<std::string> common(const std::string& command,
                                  std::initializer_list<std::string> more) const {
    auto args = common(command);
    args.insert(args.end(), more);
    return args;
  }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(upgrade_cli)

BOOST_FIXTURE_TEST_CASE(upgrade_check_and_downgrade, cli) {
  auto r = run({"db-version", "--admin-url", db.write_url()});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.out == "0\n");

  r = run(common("upgrade", {"--create-users", "--dry-run"}));
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.find("upgrade to version 3: deprecate widget_label") != std::string::npos);
  BOOST_TEST(run({"db-version", "--admin-url", db.write_url()}).out == "0\n");

  r = run(common("upgrade", {"--create-users"}));
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "database at version 3\n");
  const auto progress = lines(r.err);
  std::vector<std::string> upgraded;
  for (const auto& line : progress) {
    if (line.find(" upgraded in ") != std::string::npos) upgraded.push_back(line);
  }
  BOOST_REQUIRE(upgraded.size() == 3u);
  BOOST_TEST(upgraded[0].find("version 1 upgraded in ") == 0u);
  BOOST_TEST(upgraded[0].find(" ms: widgets table, add_widget and widget_label") !=
             std::string::npos);
  BOOST_TEST(upgraded[2].find("version 3 upgraded in ") == 0u);

  r = run(common("check"));
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "ok\n");

  r = run(common("downgrade", {"--to", "1"}));
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "database at version 1\n");
  BOOST_TEST(lines(r.err).size() == 2u);
  BOOST_TEST(run({"db-version", "--admin-url", db.write_url()}).out == "1\n");
}

BOOST_FIXTURE_TEST_CASE(check_prints_each_mismatch_and_fails, cli) {
  BOOST_REQUIRE(run(common("upgrade", {"--create-users"})).exit_code == 0);
  db.exec("grant insert on widgets to " + roles.prefix() +
          "_viewer; "
          "alter table widgets add column weight integer");
  const auto r = run(common("check"));
  BOOST_TEST(r.exit_code == 1);
  const std::vector<std::string> expected{
      "unexpected grant: " + roles.prefix() + "_viewer: INSERT on widgets",
      "extra column: widgets.weight (integer)"};
  BOOST_TEST(lines(r.out) == expected, boost::test_tools::per_element());

  // The upgrade runs the same checks, and --skip-checks skips them.
  auto failed = run(common("upgrade"));
  BOOST_TEST(failed.exit_code == 1);
  BOOST_TEST(failed.err.find("error: upgraded to version 3, but the database does not match") !=
             std::string::npos);
  BOOST_TEST(run(common("upgrade", {"--skip-checks"})).exit_code == 0);
}

BOOST_FIXTURE_TEST_CASE(failures_name_the_problem_without_the_password, cli) {
  const auto r = run({"upgrade", "--db", schema_dir, "--admin-url",
                      "postgresql://admin:s3cret@127.0.0.1:1/db", "--prefix", "x"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("error: cannot connect to postgresql://admin@127.0.0.1:1/db") == 0u, r.err);
  BOOST_TEST(r.err.find("s3cret") == std::string::npos);

  BOOST_TEST(run(common("downgrade")).exit_code == 2);  // --to is required
  BOOST_TEST(run(common("upgrade", {"--to", "seven"})).exit_code == 2);
}

// PGFNS_ADMIN_URL stands in for --admin-url (and keeps a password off the command line); the
// option wins when both are given, and an error never shows the variable's password.
BOOST_FIXTURE_TEST_CASE(the_admin_url_may_come_from_the_environment, cli) {
  const std::vector<std::string> env = {"PGFNS_ADMIN_URL=" + db.write_url()};
  auto r = run({"db-version"}, env);
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "0\n");
  r = run({"upgrade", "--db", schema_dir, "--prefix", roles.prefix(), "--create-users"}, env);
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "database at version 3\n");
  r = run({"check", "--db", schema_dir, "--prefix", roles.prefix()}, env);
  BOOST_TEST(r.out == "ok\n", r.err);

  const std::vector<std::string> bad = {"PGFNS_ADMIN_URL=postgresql://admin:s3cret@127.0.0.1:1/db"};
  BOOST_TEST(run({"db-version", "--admin-url", db.write_url()}, bad).out == "3\n");
  r = run({"db-version"}, bad);
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("error: cannot connect to postgresql://admin@127.0.0.1:1/db") == 0u, r.err);
  BOOST_TEST(r.err.find("s3cret") == std::string::npos, r.err);
}

// Whoever holds the upgrade's advisory lock is named: a service user's session is not called
// "another upgrade"; a pgfns upgrade's session is.
BOOST_FIXTURE_TEST_CASE(the_upgrade_lock_holder_is_named, cli) {
  BOOST_REQUIRE(run(common("upgrade", {"--create-users"})).exit_code == 0);
  const std::string take_lock = "select pg_advisory_lock(" + std::to_string(upgrade_lock_key) + ")";
  const auto address = address_of(db.write_url());
  const std::string viewer = roles.prefix() + "_viewer";
  {
    held_session service(uri(address, viewer, "", "application_name=worker-7"));
    service.exec(take_lock);
    const auto r = run(common("upgrade", {"--lock-timeout", "1"}));
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.err.find("held by session pid " + std::to_string(service.pid()) + " of user " +
                          viewer + ", application_name 'worker-7'") != std::string::npos,
               r.err);
    BOOST_TEST(r.err.find("not a pgfns upgrade or downgrade") != std::string::npos, r.err);
    BOOST_TEST(r.err.find("another upgrade") == std::string::npos, r.err);
    BOOST_TEST(lines(r.err).size() == 1u, r.err);
  }
  const std::string admin = db.write_url();
  held_session upgrader(admin + (admin.find('?') == std::string::npos ? "?" : "&") +
                        "application_name=pgfns%20upgrade");
  upgrader.exec(take_lock);
  const auto r = run(common("upgrade", {"--lock-timeout", "1"}));
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("error: another upgrade or downgrade of this database (session pid " +
                        std::to_string(upgrader.pid()) + " of user ") == 0u,
             r.err);
}

BOOST_AUTO_TEST_SUITE_END()

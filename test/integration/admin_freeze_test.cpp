// The commands that talk to a server, run as the built `pgfns` binary against a primary of the
// test's own that is frozen (SIGSTOP on the postmaster and every backend: its sockets accept,
// nothing answers, and a cancel request is never answered either). Each command exits 1
// within its bound (--connect-timeout, a connect_timeout in the URL, or --timeout for a
// statement already running when the server froze) and not before it, with one error line
// naming the step; after the thaw the database is at a fully applied version and the upgrade
// completes. A statement is caught mid-flight by holding a lock it waits for, then freezing.
#include "held_session.hpp"
#include "pg_test.hpp"
#include "private_cluster.hpp"
#include "run_process.hpp"
#include "schema_test_paths.hpp"
#include "temp_tree.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

using namespace std::chrono_literals;
using pgfns::test::process_result;

namespace {

std::unique_ptr<pgfns::test::private_cluster> the_cluster;

struct cluster_fixture {
  cluster_fixture() { the_cluster = std::make_unique<pgfns::test::private_cluster>(); }
  ~cluster_fixture() { the_cluster.reset(); }
};
BOOST_TEST_GLOBAL_FIXTURE(cluster_fixture);

pgfns::test::private_cluster& cluster() {
  return *the_cluster;
}

std::string primary() {
  return cluster().primary_url();
}

struct timed_run {
  process_result r;
  std::chrono::milliseconds took{};
};

// Runs `pgfns ARGS...` on a thread of its own, timed from its start.
std::future<timed_run> start(std::vector<std::string> args) {
  args.insert(args.begin(), pgfns::test::env_dir("PGFNS_CLI").string());
  return std::async(std::launch::async, [args] {
    pgfns::test::process_options o;
    o.timeout = 300s;  // far past every bound asserted here: a hang fails the test, not ctest
    const auto started = std::chrono::steady_clock::now();
    auto r = pgfns::test::run_process(args, o);
    return timed_run{std::move(r), std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::steady_clock::now() - started)};
  });
}

// Returns once the session named `application` waits for a lock (or fails the test when the
// command ended first, or after a minute).
void wait_for_lock_wait(const std::string& application, std::future<timed_run>& running) {
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  const std::string sql = "select count(*) from pg_stat_activity where application_name = '" +
                          application + "' and wait_event_type = 'Lock'";
  while (pgfns::test::query_value(primary(), sql) != "1") {
    if (running.wait_for(20ms) == std::future_status::ready) {
      const auto done = running.get();
      BOOST_FAIL("'" + application + "' ended before it waited for the lock: " + done.r.err);
    }
    BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < give_up,
                          "'" + application + "' never waited for the lock");
  }
}

// Exit 1 no sooner than `bound` and within bound + 30 s; the last line on stderr (progress
// lines may come before it) is the only error line and starts with `error`.
void expect_bounded_failure(const timed_run& run, std::chrono::milliseconds bound,
                            const std::string& error) {
  BOOST_TEST(run.r.exit_code == 1, run.r.err);
  BOOST_TEST(run.took >= bound, run.took.count() << " ms");
  BOOST_TEST(run.took <= bound + 30s, run.took.count() << " ms");
  const std::string& err = run.r.err;
  BOOST_TEST_REQUIRE(err.ends_with("\n"), err);
  const auto start = err.rfind('\n', err.size() - 2) + 1;  // npos + 1 == 0
  BOOST_TEST(err.substr(start).starts_with(error), err);
  BOOST_TEST(err.find("error") == start, err);
}

std::string core_db() {
  return (pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "test/fixtures/core-db").string();
}

// A database of its own on the private primary.
std::string fresh_database(const std::string& name) {
  pgfns::test::query(primary(), "create database " + name);
  return pgfns::test::url_with_database(primary(), name);
}

std::string with_query(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

// Runs `pgfns ARGS...`, freezes the primary once the session named `application` waits for a
// lock (so the cancel sent at the deadline is never answered either), checks that the command
// failed within `bound` with `error`, and thaws the primary.
void freeze_while_waiting(const std::vector<std::string>& args, const std::string& application,
                          std::chrono::milliseconds bound, const std::string& error) {
  auto run = start(args);
  wait_for_lock_wait(application, run);
  cluster().freeze_node("primary");
  expect_bounded_failure(run.get(), bound, error);
  cluster().thaw_node("primary");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(admin_freeze)

// A frozen server accepts the TCP connection and never answers the startup packet. All the
// commands run at once: each waits its own bound.
BOOST_AUTO_TEST_CASE(connecting_to_a_frozen_server_is_bounded) {
  const std::string lifecycle = pgfns::test::own_fixture("upgrade-lifecycle").string();
  const std::string in_url = with_query(primary(), "connect_timeout=2");
  cluster().freeze_node("primary");
  auto version = start({"db-version", "--admin-url", primary(), "--connect-timeout", "2"});
  // The URL's connect_timeout wins over the option.
  auto version_url = start({"db-version", "--admin-url", in_url, "--connect-timeout", "120"});
  auto check = start({"check", "--db", lifecycle, "--admin-url", primary(), "--prefix", "frz",
                      "--connect-timeout", "2"});
  auto upgrade = start({"upgrade", "--db", lifecycle, "--admin-url", primary(), "--prefix", "frz",
                        "--connect-timeout", "2"});
  auto call = start({"call", "--db", core_db(), "--service", "shop", "--write-url", primary(),
                     "--connect-timeout", "2", "sleep", "0"});
  auto call_url = start({"call", "--db", core_db(), "--service", "shop", "--write-url", in_url,
                         "--connect-timeout", "120", "sleep", "0"});
  const auto cannot_connect = "error: cannot connect to " + primary();
  expect_bounded_failure(version.get(), 2s,
                         cannot_connect + ": no answer from the server within 2 s");
  expect_bounded_failure(
      version_url.get(), 2s,
      "error: cannot connect to " + in_url + ": no answer from the server within 2 s");
  expect_bounded_failure(check.get(), 2s, cannot_connect);
  expect_bounded_failure(upgrade.get(), 2s, cannot_connect);
  expect_bounded_failure(call.get(), 2s, "error: ");
  expect_bounded_failure(call_url.get(), 2s, "error: ");
  cluster().thaw_node("primary");
}

// db-version waits for tcversion, locked by another session; then the server freezes.
BOOST_AUTO_TEST_CASE(db_version_frozen_mid_statement) {
  const std::string url = fresh_database("frozen_version");
  pgfns::test::query(url,
                     "create table tcversion (version integer); insert into tcversion "
                     "values (4)");
  pgfns::test::held_session holder(url);
  holder.exec("begin; lock table tcversion in access exclusive mode");
  freeze_while_waiting({"db-version", "--admin-url", url, "--timeout", "3"}, "pgfns db-version", 3s,
                       "error: reading the database version: no answer from the server within 3 "
                       "s; the connection was closed");
  holder.exec("commit");
  const auto after = start({"db-version", "--admin-url", url}).get();
  BOOST_TEST(after.r.out == "4\n", after.r.err);
}

// check reads role memberships (pg_auth_members), locked by another session.
BOOST_AUTO_TEST_CASE(check_frozen_mid_statement) {
  const std::string url = fresh_database("frozen_check");
  const std::string lifecycle = pgfns::test::own_fixture("upgrade-lifecycle").string();
  pgfns::test::held_session holder(url);
  holder.exec("begin; lock table pg_auth_members in access exclusive mode");
  freeze_while_waiting(
      {"check", "--db", lifecycle, "--admin-url", url, "--prefix", "frz_check", "--timeout", "3"},
      "pgfns check", 3s,
      "error: checking grants, tables and functions: no answer from the server within 3 s; the "
      "connection was closed");
  holder.exec("commit");
}

// Version 2's migration script waits for an advisory lock the test holds; the server freezes
// while it waits. The upgrade gives up after --timeout, naming the version and the script;
// after the thaw the database is still at version 1, and the upgrade then completes.
BOOST_AUTO_TEST_CASE(upgrade_frozen_in_a_migration_script) {
  const std::string url = fresh_database("frozen_upgrade");
  pgfns::test::temp_tree tree(pgfns::test::own_fixture("upgrade-lifecycle"));
  pgfns::test::replace_in_file(tree.path() / "versions/0002.yml",
                               "alter table widgets add column colour text;",
                               "perform pg_advisory_xact_lock(4242); alter table widgets add "
                               "column colour text;");
  const std::vector<std::string> upgrade = {
      "upgrade",  "--db",   tree.path().string(), "--admin-url", url,
      "--prefix", "frz_up", "--create-users"};
  pgfns::test::held_session holder(url);
  holder.exec("select pg_advisory_lock(4242)");
  auto args = upgrade;
  args.insert(args.end(), {"--timeout", "5"});
  freeze_while_waiting(args, "pgfns upgrade", 5s,
                       "error: version 2: migration script: no answer from the server within 5 s; "
                       "the connection was closed, so the server rolls the open transaction back");
  holder.exec("select pg_advisory_unlock(4242)");

  const auto version = start({"db-version", "--admin-url", url}).get();
  BOOST_TEST(version.r.out == "1\n", version.r.err);
  BOOST_TEST(pgfns::test::query_value(url,
                                      "select count(*) from information_schema.columns where "
                                      "table_name = 'widgets' and column_name = 'colour'") == "0");
  const auto again = start(upgrade).get();
  BOOST_TEST(again.r.exit_code == 0, again.r.err);
  BOOST_TEST(again.r.out == "database at version 3\n");
}

BOOST_AUTO_TEST_SUITE_END()

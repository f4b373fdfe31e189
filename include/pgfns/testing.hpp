// Test helpers for services built on pgfns (link pgfns::testing): a throwaway PostgreSQL
// primary + hot standby, a fresh database per test suite upgraded to the service's schema with
// its service users, a `database` per service, and a test of one version's migration, online
// batches included (Taskcluster's withDb, resetDb and dbVersionTest).
//
// Everything here BLOCKS (blocking libpq, child processes): call it from a test's thread, not
// from inside a coroutine running on the executor of the databases it hands out.
//
// The servers: PGFNS_TEST_DB_URL, when set, names an existing server (a superuser URL, e.g. of
// `docker run -e POSTGRES_PASSWORD=... -p 5432:5432 postgres:15`), with PGFNS_TEST_READ_URL as
// its hot standby if it has one; nothing is started or stopped then. Otherwise test_servers
// starts a primary and a hot standby of its own with `pg-cluster` (PostgreSQL 15's server
// binaries from Debian's postgresql-15; installed with pgfns in share/pgfns/) and stops them
// when it ends.
#pragma once

#include <pgfns/database.hpp>
#include <pgfns/database_options.hpp>
#include <pgfns/schema.hpp>
#include <pgfns/upgrade.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::testing {

// A row of a query's result as text; NULL is std::nullopt.
using text_row = std::vector<std::optional<std::string>>;

// An error of a statement run by these helpers: what() names the server (never a password),
// the SQLSTATE and the statement.
class sql_error : public std::runtime_error {
 public:
  sql_error(const std::string& what, std::string sqlstate)
      : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
  // Empty when the failure is not the server's (e.g. it could not be reached).
  const std::string& sqlstate() const noexcept { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// Runs `sql` (one or more statements) on a new connection to `url`; returns the last
// statement's rows. Throws sql_error.
std::vector<text_row> query(const std::string& url, const std::string& sql);
// The one non-NULL value `sql` returns (one row, one column), else throws sql_error.
std::string query_value(const std::string& url, const std::string& sql);

// `s` with every byte but letters, digits and `-_.~` as %XX, for a part of a URL.
std::string percent_encoded(std::string_view s);
// `url` (a postgresql:// URL or a keyword/value string) naming database `dbname` instead.
std::string url_with_database(std::string_view url, std::string_view dbname);

// The schema as a service built for `version` knows it: `s` without the versions after it
// (through its JSON form, with the same checks). Throws std::invalid_argument for a version
// outside 1..latest, schema_error when what remains is not a valid schema.
std::shared_ptr<const schema> schema_until(const schema& s, int version);

struct servers_options {
  // The pg-cluster script that starts throwaway servers. Empty: $PGFNS_PG_CLUSTER, else the
  // one installed with pgfns, else the one of the source tree pgfns was built from.
  std::string pg_cluster = {};
};

class test_servers {
 public:
  // Uses PGFNS_TEST_DB_URL when set; otherwise starts a throwaway primary and hot standby in a
  // new temporary directory (a few seconds; as root, the servers run as user `postgres`). Throws
  // std::runtime_error saying what is missing.
  explicit test_servers(servers_options options = {});
  // Stops the servers it started and removes their files. A process of its own stops them
  // too when this process ends without getting here (killed by a test's timeout, say).
  ~test_servers();
  test_servers(const test_servers&) = delete;
  test_servers& operator=(const test_servers&) = delete;

  // One per process: started on first use, stopped when the process exits.
  static test_servers& shared();

  const std::string& primary_url() const noexcept { return primary_; }  // superuser
  // Empty when there is no standby (PGFNS_TEST_DB_URL without PGFNS_TEST_READ_URL).
  const std::string& standby_url() const noexcept { return standby_; }
  bool started_here() const noexcept { return !dir_.empty(); }

  // Returns once the standby has replayed everything committed on the primary so far (at once
  // without a standby); throws std::runtime_error after `limit`.
  void wait_for_standby(std::chrono::milliseconds limit = std::chrono::seconds(30)) const;

 private:
  std::string dir_;  // the throwaway cluster's directory; empty for PGFNS_TEST_DB_URL
  std::string script_;
  std::string primary_;
  std::string standby_;
  int watchdog_ = -1;  // the pipe whose closing makes the watchdog stop the servers
};

struct test_database_options {
  // Upgrade to this version; default: the schema's latest. 0: an empty database.
  std::optional<int> version = std::nullopt;
  std::string label = "test";  // part of the database's name (letters, digits, '_')
  // Skip the upgrade's final checks of grants and tables (upgrade_options::skip_checks), for
  // a schema that is not complete yet.
  bool skip_checks = false;
};

// A fresh database on `servers` holding the schema, with a user of its own per service
// (`<prefix>_<service>`, a random prefix and password each); dropped with its users when
// destroyed. The upgrades create the users and grant exactly what access.yml and the methods
// say, as in production, so a test calling as a service sees that service's privileges.
class test_database {
 public:
  test_database(test_servers& servers, std::shared_ptr<const schema> s,
                test_database_options options = {});
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  const std::string& name() const noexcept { return name_; }
  const std::string& prefix() const noexcept { return prefix_; }  // of the service users
  const schema& db_schema() const noexcept { return *schema_; }
  test_servers& servers() const noexcept { return servers_; }
  std::string admin_url() const;       // the primary as superuser, this database
  std::string admin_read_url() const;  // the standby (the primary without one), as superuser

  // Options of a `database` for `service`, connecting as its own user: writes to the primary,
  // reads from the standby (the primary without one), small pools. The service is built for
  // the schema's latest version, or for `built_for` (schema_until): a database at an older
  // version refuses a service built for a newer one, so a version test's checks at N call as
  // a service built for N. Throws std::invalid_argument for a service the schema lacks.
  database_options options(std::string_view service,
                           std::optional<int> built_for = std::nullopt) const;
  // A `database` for `service` on `ex` with options(service, built_for); not started yet
  // (co_await its async_start()).
  database open(database::executor_type ex, std::string_view service,
                std::optional<int> built_for = std::nullopt) const;

  // Runs `sql` here as superuser on the primary; throws sql_error.
  std::vector<text_row> query(const std::string& sql) const;
  void exec(const std::string& sql) const { query(sql); }
  // Empties every table of tables.yml that exists at the database's version (TRUNCATE ...
  // RESTART IDENTITY CASCADE), for a clean start per test without a new database; waits for
  // the standby.
  void reset() const;
  void wait_for_standby() const { servers_.wait_for_standby(); }

  int version() const;  // the database's version (tcversion)
  // Upgrade or downgrade options for this database: superuser, the service users' prefix,
  // creating missing users.
  upgrade_options admin_options() const;
  // Moves the database to `version` with upgrade() or downgrade(), then sets the service
  // users' passwords (new users) and waits for the standby. `tweak` may adjust the options
  // (e.g. online batches and checkpoints).
  migration_plan migrate_to(int version,
                            const std::function<void(upgrade_options&)>& tweak = {}) const;

 private:
  void set_passwords() const;
  void drop() const noexcept;

  test_servers& servers_;
  std::shared_ptr<const schema> schema_;
  std::string name_;
  std::string prefix_;
  std::string password_;
  bool skip_checks_ = false;
  mutable std::map<int, std::shared_ptr<const schema>> built_for_;  // schema_until, by version
};

// One version's migration tested as Taskcluster's dbVersionTest does: on a fresh database
// upgraded to `version - 1`, `create_data` makes rows; then each round upgrades to `version`
// (its online migration in batches of `batch_size`) and downgrades back to `version - 1`,
// calling the checks at each stage; before each check the standby has caught up. A check
// asserts with the test framework or throws; a throw ends the test there.
struct version_test_steps {
  int version = 0;  // N >= 1: the version under test
  int rounds = 2;   // up and down, this many times: a downgraded database upgrades again
  std::int64_t batch_size = 1;
  bool skip_checks = false;                              // test_database_options::skip_checks
  std::function<void(test_database&)> create_data = {};  // at N-1, once
  // Upgrade: at N before its online migration's first batch (right after the upgrade when it
  // has none), after each committed batch (only with an online migration), once complete.
  std::function<void(test_database&)> start_check = {};
  std::function<void(test_database&, const online_checkpoint&)> concurrent_check = {};
  std::function<void(test_database&)> finished_check = {};
  // Downgrade to N-1, likewise around its online downgrade.
  std::function<void(test_database&)> start_downgrade_check = {};
  std::function<void(test_database&, const online_checkpoint&)> concurrent_downgrade_check = {};
  std::function<void(test_database&)> finished_downgrade_check = {};
};

// What version_test saw, per round: the online batches committed each way.
struct version_test_report {
  std::vector<std::int64_t> upgrade_batches;
  std::vector<std::int64_t> downgrade_batches;
};

// Runs the steps on a fresh database of `s` on `servers`. Throws std::invalid_argument for a
// version outside 1..latest or rounds < 1, and what the steps or the migrations throw.
version_test_report version_test(test_servers& servers, std::shared_ptr<const schema> s,
                                 const version_test_steps& steps);

}  // namespace pgfns::testing

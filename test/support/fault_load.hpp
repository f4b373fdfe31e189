// Continuous load on a database while a fault is injected, what every call saw, and the checks
// the fault tests make of it: deadlines kept, only calls near the fault failed and with the
// expected codes, service back without a restart, and the ledger of writes. The checks return
// the problems they find (empty: none) so that tests report each one.
#pragma once

#include <pgfns/database_options.hpp>
#include <pgfns/schema.hpp>

#include "private_cluster.hpp"

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace pgfns::test {

using steady_time = std::chrono::steady_clock::time_point;

// $PGFNS_SOURCE_DIR/test/fixtures/faults-db: the ledger table, record_write and probe
// (service `faults`).
std::shared_ptr<const pgfns::schema> faults_schema();
// Upgrades the database at `admin_url` to faults_schema() (users `<prefix>_faults`), then
// waits until the standby at `standby_url` has replayed it.
void install_faults_schema(const std::string& admin_url, const std::string& prefix,
                           const std::string& standby_url);

// A private cluster for the whole test program with faults_schema() installed in its
// `postgres` database and replayed on the standby:
// BOOST_TEST_GLOBAL_FIXTURE(pgfns::test::faults_cluster_fixture), then faults_cluster().
struct faults_cluster_fixture {
  faults_cluster_fixture() : faults_cluster_fixture(private_cluster_options{}) {}
  explicit faults_cluster_fixture(const private_cluster_options& options);
  ~faults_cluster_fixture();
};
// The same with a pgbouncer in front of each node (faults_cluster().primary_pooled_url(), ...),
// `pool_size` server connections per database and user.
struct faults_pooled_cluster_fixture : faults_cluster_fixture {
  static constexpr int pool_size = 4;
  faults_pooled_cluster_fixture()
      : faults_cluster_fixture(
            private_cluster_options{.pgbouncer = true, .pooler_pool_size = pool_size}) {}
};
private_cluster& faults_cluster();

// Options for faults_schema() as service `faults` on these servers, pools of 8 connections.
pgfns::database_options faults_options(const std::string& write_url, const std::string& read_url);

struct load_options {
  int readers = 150;              // coroutines calling probe, one call at a time each
  int writers = 100;              // coroutines calling record_write with ids of their own
  double server_seconds = 0.005;  // what each call spends on the server (pg_sleep)
  int fail_every = 10;            // every n-th write is refused on purpose (P0001)
  std::chrono::milliseconds baseline{2000};         // load before the fault
  std::chrono::milliseconds clean{2000};            // load after recovery, where all must succeed
  std::chrono::milliseconds recovery_limit{12000};  // longest wait for success after the fault
  // With more than 1: database_options::threads, on an io_context run by as many threads.
  int threads = 1;
};

struct call_record {
  bool write = false;
  bool refused_on_purpose = false;
  std::int64_t id = 0;  // the ledger id of a write
  steady_time start{};
  steady_time end{};
  boost::system::error_code ec;
  std::string error;  // format_error(ec, diag) when ec
};

struct fault_run {
  std::vector<call_record> calls;
  std::int64_t first_id = 0;  // the ledger ids of this run are in [first_id, last_id]
  std::int64_t last_id = 0;
  steady_time load_start{}, fault_start{}, fault_end{}, clean_start{}, clean_end{};
  bool recovered = false;  // reads and writes succeeded again, both pools available, in time
};

// Starts a database with `options`, runs the load, and `fault` (blocking, on a helper thread,
// while the load goes on; it injects the fault and returns once the servers are back), waits
// for reads and writes to succeed again, then runs the clean phase. One database object
// throughout. Throws when the database does not start or the run takes far too long.
fault_run run_under_load(const pgfns::database_options& options, const load_options& load,
                         const std::function<void()>& fault);

struct expectations {
  std::chrono::milliseconds call_timeout{};  // the options' call_timeout
  std::chrono::milliseconds margin{2000};    // lateness allowed past it
  std::set<std::string> allowed;             // errc names and SQLSTATEs allowed
  bool reads_unaffected = false;             // no read may fail
  bool writes_unaffected = false;            // no write may fail (but on purpose)
  std::size_t unknown_bound = 0;             // outcome_unknown writes at most
};

// The problems with `run`: a call slower than the deadline plus the margin, a failure before
// the fault or in the clean phase, a code not allowed, no recovery, too many unknown outcomes
// or one for a write sent after the fault.
std::vector<std::string> check_run(const fault_run& run, const expectations& e);

struct ledger_counts {
  std::size_t acknowledged = 0;     // writes reported successful
  std::size_t refused = 0;          // writes reported failed with a definite error
  std::size_t unavailable = 0;      // of which server_unavailable (never sent)
  std::size_t unknown = 0;          // writes reported outcome_unknown
  std::size_t unknown_applied = 0;  // of which in the ledger
};

// Compares the ledger table (read on the primary at `primary_url`) with what the writes of
// `run` reported: every acknowledged write is there, every write refused by the server or
// never sent (call_timeout, pool_timeout, ...) is absent, nothing else is there.
std::vector<std::string> check_ledger(const fault_run& run, const std::string& primary_url,
                                      ledger_counts& counts);

// One line about a run, for the test log.
std::string summary(const fault_run& run, const ledger_counts& counts);

struct checked_run {
  std::vector<std::string> problems;  // of check_run and check_ledger
  ledger_counts counts;
  std::string summary;
};
// run_under_load, then check_run(e) and check_ledger on `ledger_url` (options.write_url when
// empty: give the primary's own URL when write_url leads through a pooler).
checked_run run_and_check(const pgfns::database_options& options, const load_options& load,
                          const std::function<void()>& fault, const expectations& e,
                          const std::string& ledger_url = {});

}  // namespace pgfns::test

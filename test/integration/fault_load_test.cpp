// Faults under continuous load (250 coroutines, reads and writes): backends killed, the primary
// stopped and started, the standby stopped and started. No call outlives its deadline, only
// calls near the fault fail and with the expected codes, the same database object serves
// fully again afterwards, and the ledger holds every acknowledged write and no refused one.
#include <pgfns/database.hpp>

#include "core_db.hpp"
#include "fault_load.hpp"
#include "pg_test.hpp"
#include "private_cluster.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

using pgfns::test::expectations;
using pgfns::test::fault_run;
using pgfns::test::ledger_counts;
using namespace std::chrono_literals;

namespace {

struct cluster_fixture {
  static inline pgfns::test::private_cluster* cluster = nullptr;
  cluster_fixture() {
    cluster = new pgfns::test::private_cluster();
    pgfns::test::install_faults_schema(cluster->primary_url(), "faultload", cluster->standby_url());
  }
  ~cluster_fixture() { delete cluster; }
};
BOOST_TEST_GLOBAL_FIXTURE(cluster_fixture);

pgfns::test::private_cluster& cluster() {
  return *cluster_fixture::cluster;
}

constexpr auto call_timeout = 5000ms;
const pgfns::test::load_options load;

pgfns::database_options options() {
  auto o = pgfns::test::faults_options(cluster().primary_url(), cluster().standby_url());
  o.call_timeout = call_timeout;
  o.acquire_timeout = 10s;  // queued calls end at their deadline
  o.connect_timeout = 2s;
  return o;
}

// Runs the load around `fault`, checks it and the ledger, and logs what happened.
void run_and_check(const std::function<void()>& fault, expectations e) {
  e.call_timeout = call_timeout;
  const fault_run run = pgfns::test::run_under_load(options(), load, fault);
  for (const auto& problem : pgfns::test::check_run(run, e)) BOOST_ERROR(problem);
  ledger_counts counts;
  for (const auto& problem : pgfns::test::check_ledger(run, cluster().primary_url(), counts))
    BOOST_ERROR(problem);
  BOOST_TEST_MESSAGE(pgfns::test::summary(run, counts));
  BOOST_TEST(counts.acknowledged > 0u);
  BOOST_TEST(counts.refused > 0u);  // the writes refused on purpose, at least
}

// Terminates this service's backends on `url`; returns how many.
int terminate_backends(const std::string& url) {
  return std::stoi(pgfns::test::query_value(
      url,
      "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = "
      "'faults' and pid <> pg_backend_pid()"));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fault_load)

BOOST_AUTO_TEST_CASE(backends_killed) {
  expectations e;
  e.allowed = {"connection_lost", "outcome_unknown"};
  e.unknown_bound = load.writers;  // at most the write in flight of each writer, per kill
  e.unknown_bound *= 3;
  int killed = 0;
  run_and_check(
      [&] {
        for (int i = 0; i < 3; ++i) {
          killed += terminate_backends(cluster().primary_url());
          killed += terminate_backends(cluster().standby_url());
          std::this_thread::sleep_for(300ms);
        }
      },
      e);
  BOOST_TEST(killed >= 6);
}

BOOST_AUTO_TEST_CASE(primary_stopped_and_started) {
  expectations e;
  e.allowed = {"connection_lost", "outcome_unknown", "call_timeout", "pool_timeout"};
  e.reads_unaffected = true;  // the standby serves them throughout
  e.unknown_bound = load.writers;
  run_and_check(
      [] {
        cluster().stop_node("primary");
        std::this_thread::sleep_for(3s);
        cluster().start_node("primary");
      },
      e);
  cluster().wait_streaming();
}

BOOST_AUTO_TEST_CASE(standby_stopped_and_started) {
  expectations e;
  e.allowed = {"connection_lost", "call_timeout", "pool_timeout"};
  e.writes_unaffected = true;  // reads fall back to the primary meanwhile
  run_and_check(
      [] {
        cluster().stop_node("standby");
        std::this_thread::sleep_for(3s);
        cluster().start_node("standby");
      },
      e);
  cluster().wait_streaming();
}

BOOST_AUTO_TEST_SUITE_END()

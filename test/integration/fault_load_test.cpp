// Faults under continuous load (250 coroutines, reads and writes): backends killed, the primary
// stopped and started, the standby stopped and started. No call outlives its deadline, only
// calls near the fault fail and with the expected codes, the same database object serves
// fully again afterwards, and the ledger holds every acknowledged write and no refused one.
#include <pgfns/database.hpp>

#include "fault_load.hpp"
#include "pg_test.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

using pgfns::test::expectations;
using pgfns::test::faults_cluster;
using namespace std::chrono_literals;

namespace {

using pgfns::test::faults_cluster_fixture;
BOOST_TEST_GLOBAL_FIXTURE(faults_cluster_fixture);

constexpr auto call_timeout = 5000ms;
const pgfns::test::load_options load;

void run_and_check(const std::function<void()>& fault, expectations e,
                   const pgfns::test::load_options& how = load) {
  auto o =
      pgfns::test::faults_options(faults_cluster().primary_url(), faults_cluster().standby_url());
  o.call_timeout = e.call_timeout = call_timeout;
  o.acquire_timeout = 10s;  // queued calls end at their deadline
  o.connect_timeout = 2s;
  const auto run = pgfns::test::run_and_check(o, how, fault, e);
  for (const auto& problem : run.problems) BOOST_ERROR(problem);
  BOOST_TEST_MESSAGE(run.summary);
  BOOST_TEST(run.counts.acknowledged > 0u);
  BOOST_TEST(run.counts.refused > 0u);  // the writes refused on purpose, at least
}

// Terminates this service's backends on `url`; returns how many.
int terminate_backends(const std::string& url) {
  return std::stoi(pgfns::test::query_value(
      url,
      "select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = "
      "'faults' and pid <> pg_backend_pid()"));
}

// Stops `node` for three seconds.
void stop_for_a_while(std::string_view node) {
  faults_cluster().stop_node(node);
  std::this_thread::sleep_for(3s);
  faults_cluster().start_node(node);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fault_load)

BOOST_AUTO_TEST_CASE(backends_killed) {
  expectations e;
  e.allowed = {"connection_lost", "outcome_unknown"};
  // Per kill round, a writer may lose its write in flight, and a write it sends next to a
  // connection whose backend is already ending but not yet seen to end.
  e.unknown_bound = load.writers * 2 * 3;
  int killed = 0;
  run_and_check(
      [&] {
        for (int i = 0; i < 3; ++i) {
          killed += terminate_backends(faults_cluster().primary_url());
          killed += terminate_backends(faults_cluster().standby_url());
          std::this_thread::sleep_for(300ms);
        }
      },
      e);
  BOOST_TEST(killed >= 6);
}

BOOST_AUTO_TEST_CASE(primary_stopped_and_started) {
  expectations e;
  e.allowed = {"connection_lost", "outcome_unknown", "call_timeout", "pool_timeout",
               "server_unavailable"};
  e.reads_unaffected = true;  // the standby serves them throughout
  // As when backends are killed: a writer may lose its write in flight, and a write it sends
  // next to another connection whose backend the stopping server is already ending.
  e.unknown_bound = load.writers * 2;
  run_and_check([] { stop_for_a_while("primary"); }, e);
  faults_cluster().wait_streaming();
}

// The same on a database of two shards, driven by an io_context run by two threads: each shard
// loses its write connections and finds the primary again on its own.
BOOST_AUTO_TEST_CASE(primary_stopped_and_started_with_two_threads) {
  expectations e;
  e.allowed = {"connection_lost", "outcome_unknown", "call_timeout", "pool_timeout",
               "server_unavailable"};
  e.reads_unaffected = true;
  e.unknown_bound = load.writers * 2;
  auto two_threads = load;
  two_threads.threads = 2;
  run_and_check([] { stop_for_a_while("primary"); }, e, two_threads);
  faults_cluster().wait_streaming();
}

BOOST_AUTO_TEST_CASE(standby_stopped_and_started) {
  expectations e;
  e.allowed = {"connection_lost", "call_timeout", "pool_timeout"};
  e.writes_unaffected = true;  // reads fall back to the primary meanwhile
  run_and_check([] { stop_for_a_while("standby"); }, e);
  faults_cluster().wait_streaming();
}

BOOST_AUTO_TEST_SUITE_END()

// The fault load of fault_load_test through pgbouncer in transaction mode (issue 15): the same
// 250 coroutines, with database_options::pooler = transaction and the URLs of a pgbouncer in
// front of each node, while the primary is stopped and started behind its pgbouncer (which keeps
// running and keeps pgfns's connections). The ledger must hold as it does without a pooler:
// every acknowledged write is in it, no refused one, no call outlives its deadline by more than
// the margin, and the same database object serves fully again without a restart.
#include <pgfns/database.hpp>

#include "eventually.hpp"
#include "fault_load.hpp"
#include "pg_test.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <limits>
#include <thread>

using pgfns::test::expectations;
using pgfns::test::faults_cluster;
using namespace std::chrono_literals;

namespace {

using pgfns::test::faults_pooled_cluster_fixture;
BOOST_TEST_GLOBAL_FIXTURE(faults_pooled_cluster_fixture);

constexpr auto call_timeout = 5000ms;
const pgfns::test::load_options load;

pgfns::test::checked_run run_and_check(const std::function<void()>& fault, expectations e) {
  auto o = pgfns::test::faults_options(faults_cluster().primary_pooled_url(),
                                       faults_cluster().standby_pooled_url());
  o.pooler = pgfns::pooler_mode::transaction;
  BOOST_TEST_MESSAGE("primary " << faults_cluster().primary_url() << " behind " << o.write_url
                                << ", standby " << faults_cluster().standby_url() << " behind "
                                << o.read_url);
  o.call_timeout = e.call_timeout = call_timeout;
  o.acquire_timeout = 10s;  // queued calls end at their deadline
  o.connect_timeout = 2s;
  // The ledger is read on the primary itself, not through its pgbouncer.
  auto run = pgfns::test::run_and_check(o, load, fault, e, faults_cluster().primary_url());
  for (const auto& problem : run.problems) BOOST_ERROR(problem);
  BOOST_TEST_MESSAGE(run.summary);
  BOOST_TEST(run.counts.acknowledged > 0u);
  BOOST_TEST(run.counts.refused > 0u);  // the writes refused on purpose, at least
  return run;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fault_pooler)

BOOST_AUTO_TEST_CASE(primary_stopped_and_started_behind_pgbouncer) {
  expectations e;
  e.allowed = {"connection_lost", "outcome_unknown", "call_timeout", "pool_timeout",
               "server_unavailable"};
  e.reads_unaffected = true;  // the standby's pgbouncer serves them throughout
  // A stopped server refuses connections; behind pgbouncer it does not: pgbouncer keeps pgfns's
  // connections and, while its logins to the server fail, answers the first call a connection
  // sends with 08P01 "server login has been failing, try again later (server_login_retry)" and
  // closes it. pgbouncer sent none of that connection's waiting calls on, and pgfns knows it
  // (pooler mode): such writes fail as server_unavailable, not outcome_unknown. So the unknown
  // outcomes are bounded as without a pooler: the writes in flight when the primary stopped.
  e.unknown_bound = load.writers * 2;
  bool pooler_back = false;
  const auto run = run_and_check(
      [&] {
        faults_cluster().stop_node("primary");
        std::this_thread::sleep_for(3s);
        faults_cluster().start_node("primary");
        // The fault ends for the service when its pgbouncer reaches the primary again: until
        // its next login there succeeds (server_login_retry, 1 s here), pgbouncer fails every
        // client that sends a query ("server login has been failing").
        pooler_back = pgfns::test::eventually([] {
          return pgfns::test::query_value(faults_cluster().primary_pooled_url(), "select 1") == "1";
        });
      },
      e);
  BOOST_TEST(pooler_back);
  BOOST_TEST(run.counts.unavailable > 0u);  // the writes pgbouncer refused, said so
  faults_cluster().wait_streaming();
}

BOOST_AUTO_TEST_SUITE_END()

// A server frozen (SIGSTOP on the postmaster and all its children) for twice the call deadline
// under continuous load, then resumed: its sockets still accept but nothing answers, which only
// deadlines can notice. No call outlives its deadline (a write: plus the cancel grace), the
// calls that reached the frozen server fail with call_timeout (or outcome_unknown for writes),
// the others keep working (no write fails while only the standby is frozen), the same
// database object serves fully again after SIGCONT, and the ledger is exact.
#include <pgfns/database.hpp>

#include "fault_load.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>

using pgfns::test::expectations;
using pgfns::test::faults_cluster;
using namespace std::chrono_literals;

namespace {

using pgfns::test::faults_cluster_fixture;
BOOST_TEST_GLOBAL_FIXTURE(faults_cluster_fixture);

constexpr auto call_timeout = 2000ms;
constexpr auto frozen_for = 4000ms;
const pgfns::test::load_options load;

void freeze_and_check(std::string_view node, expectations e) {
  auto o =
      pgfns::test::faults_options(faults_cluster().primary_url(), faults_cluster().standby_url());
  o.call_timeout = e.call_timeout = call_timeout;
  o.acquire_timeout = 10s;  // queued calls end at their deadline
  o.connect_timeout = 1s;   // a frozen server accepts the connection but never answers
  o.cancel_grace = 1s;      // a write running at its deadline waits this long for the cancel
  e.margin = 1500ms + o.cancel_grace;
  const auto run = pgfns::test::run_and_check(
      o, load,
      [node] {
        faults_cluster().freeze_node(node);
        std::this_thread::sleep_for(frozen_for);
        faults_cluster().thaw_node(node);
      },
      e);
  for (const auto& problem : run.problems) BOOST_ERROR(problem);
  BOOST_TEST_MESSAGE(run.summary);
  BOOST_TEST(run.counts.acknowledged > 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fault_freeze)

BOOST_AUTO_TEST_CASE(primary_frozen_longer_than_the_deadline) {
  expectations e;
  // server_unavailable: writes fail fast while reconnecting to the frozen server times out.
  e.allowed = {"call_timeout", "outcome_unknown", "connection_lost", "pool_timeout",
               "server_unavailable"};
  e.reads_unaffected = true;  // the standby serves them throughout
  // Each writer may lose the write in flight when the server froze, and then one more per
  // deadline while connections to the frozen server were still open.
  e.unknown_bound = load.writers * (1 + frozen_for / call_timeout);
  freeze_and_check("primary", e);
  faults_cluster().wait_streaming();
}

BOOST_AUTO_TEST_CASE(standby_frozen_longer_than_the_deadline) {
  expectations e;
  e.allowed = {"call_timeout", "connection_lost", "pool_timeout"};
  e.writes_unaffected = true;  // the primary serves them throughout
  freeze_and_check("standby", e);
  faults_cluster().wait_streaming();
}

BOOST_AUTO_TEST_SUITE_END()

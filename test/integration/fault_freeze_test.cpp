// A server frozen (SIGSTOP on the postmaster and all its children) for twice the call deadline
// under continuous load, then resumed: its sockets still accept but nothing answers, which only
// deadlines can notice. No call outlives its deadline, the calls that reached the frozen server
// fail with call_timeout (or outcome_unknown for writes), the others keep working, the same
// database object serves fully again after SIGCONT, and the ledger is exact.
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
    pgfns::test::install_faults_schema(cluster->primary_url(), "faultfreeze",
                                       cluster->standby_url());
  }
  ~cluster_fixture() { delete cluster; }
};
BOOST_TEST_GLOBAL_FIXTURE(cluster_fixture);

pgfns::test::private_cluster& cluster() {
  return *cluster_fixture::cluster;
}

constexpr auto call_timeout = 2000ms;
constexpr auto frozen_for = 4000ms;
const pgfns::test::load_options load;

pgfns::database_options options() {
  auto o = pgfns::test::faults_options(cluster().primary_url(), cluster().standby_url());
  o.call_timeout = call_timeout;
  o.acquire_timeout = 10s;  // queued calls end at their deadline
  o.connect_timeout = 1s;   // a frozen server accepts the connection but never answers
  return o;
}

void run_and_check(std::string_view node, expectations e) {
  e.call_timeout = call_timeout;
  e.margin = 1500ms;
  const fault_run run = pgfns::test::run_under_load(options(), load, [node] {
    cluster().freeze_node(node);
    std::this_thread::sleep_for(frozen_for);
    cluster().thaw_node(node);
  });
  for (const auto& problem : pgfns::test::check_run(run, e)) BOOST_ERROR(problem);
  ledger_counts counts;
  for (const auto& problem : pgfns::test::check_ledger(run, cluster().primary_url(), counts))
    BOOST_ERROR(problem);
  BOOST_TEST_MESSAGE(pgfns::test::summary(run, counts));
  BOOST_TEST(counts.acknowledged > 0u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fault_freeze)

BOOST_AUTO_TEST_CASE(primary_frozen_longer_than_the_deadline) {
  expectations e;
  e.allowed = {"call_timeout", "outcome_unknown", "connection_lost", "pool_timeout"};
  e.reads_unaffected = true;  // the standby serves them throughout
  // Each writer may lose the write in flight when the server froze, and then one more per
  // deadline while connections to the frozen server were still open.
  e.unknown_bound = load.writers * (1 + frozen_for / call_timeout);
  run_and_check("primary", e);
  cluster().wait_streaming();
}

BOOST_AUTO_TEST_CASE(standby_frozen_longer_than_the_deadline) {
  expectations e;
  e.allowed = {"call_timeout", "connection_lost", "pool_timeout"};
  e.writes_unaffected = true;  // the primary serves them throughout
  run_and_check("standby", e);
  cluster().wait_streaming();
}

BOOST_AUTO_TEST_SUITE_END()

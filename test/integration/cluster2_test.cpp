// Proves the private cluster with two standbys (scripts/pg-cluster start --standbys 2) that the
// replica routing tests build on: both standbys stream from the primary, paused replay holds
// rows back on one standby only, the primary stops and starts again, and a promoted standby
// leaves recovery. The cases run in order: the last one promotes standby2 for good.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

#include "eventually.hpp"
#include "pg_test.hpp"
#include "private_cluster.hpp"

namespace pt = pgfns::test;
using pt::eventually;
using namespace std::chrono_literals;

namespace {

struct two_standbys_fixture {
  static inline pt::private_cluster* cluster = nullptr;
  two_standbys_fixture() {
    cluster = new pt::private_cluster({.standbys = 2});
    pt::query_value(cluster->primary_url(),
                    "create table marks (id int primary key); select 'created'");
  }
  ~two_standbys_fixture() { delete cluster; }
};
BOOST_TEST_GLOBAL_FIXTURE(two_standbys_fixture);

pt::private_cluster& cluster() {
  return *two_standbys_fixture::cluster;
}

// Inserts a new row on the primary and returns its id.
int mark() {
  static int next = 0;
  const int id = ++next;
  pt::query(cluster().primary_url(), "insert into marks values (" + std::to_string(id) + ")");
  return id;
}

bool has_mark(const std::string& url, int id) {
  return pt::query_value(url, "select count(*) from marks where id = " + std::to_string(id)) == "1";
}

std::string in_recovery(const std::string& url) {
  return pt::query_value(url, "select pg_is_in_recovery()");
}

std::string port_of(const std::string& url) {  // postgresql://postgres@127.0.0.1:PORT/postgres
  const auto colon = url.rfind(':');
  return url.substr(colon + 1, url.rfind('/') - colon - 1);
}

// The walsenders of the primary, e.g. "standby:streaming,standby2:streaming".
std::string replication_states() {
  return pt::query_value(cluster().primary_url(),
                         "select coalesce(string_agg(application_name || ':' || state, ',' "
                         "order by application_name), '') from pg_stat_replication");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cluster2)

BOOST_AUTO_TEST_CASE(both_standbys_stream_from_the_primary) {
  const auto& c = cluster();
  BOOST_TEST(!c.standby2_url().empty());
  BOOST_TEST(port_of(c.standby2_url()) != port_of(c.standby_url()));
  BOOST_TEST(port_of(c.standby2_url()) != port_of(c.primary_url()));
  BOOST_TEST(in_recovery(c.primary_url()) == "f");
  for (const auto* url : {&c.standby_url(), &c.standby2_url()}) {
    BOOST_TEST(in_recovery(*url) == "t", *url);
    // Each streams from the primary itself, not from the other standby.
    BOOST_TEST(pt::query_value(*url, "select sender_port from pg_stat_wal_receiver") ==
                   port_of(c.primary_url()),
               *url);
  }
  BOOST_TEST(replication_states() == "standby:streaming,standby2:streaming");

  const int id = mark();
  BOOST_TEST(eventually([&] { return has_mark(c.standby_url(), id); }),
             "row " << id << " did not reach standby in 10 s");
  BOOST_TEST(eventually([&] { return has_mark(c.standby2_url(), id); }),
             "row " << id << " did not reach standby2 in 10 s");
}

BOOST_AUTO_TEST_CASE(paused_replay_holds_new_rows_back_on_that_standby_only) {
  auto& c = cluster();
  c.pause_replay("standby2");
  BOOST_TEST(pt::query_value(c.standby2_url(), "select pg_get_wal_replay_pause_state()") ==
             "paused");

  const int id = mark();
  const std::string lsn = pt::query_value(c.primary_url(), "select pg_current_wal_lsn()");
  BOOST_TEST(eventually([&] { return has_mark(c.standby_url(), id); }),
             "row " << id << " did not reach standby in 10 s");
  // standby2 has received the row's WAL but not replayed it.
  BOOST_TEST(eventually([&] {
               return pt::query_value(c.standby2_url(), "select pg_last_wal_receive_lsn() >= '" +
                                                            lsn + "'::pg_lsn") == "t";
             }),
             "standby2 did not receive the WAL up to " << lsn << " in 10 s");
  BOOST_TEST(!has_mark(c.standby2_url(), id), "standby2 replayed row " << id << " while paused");

  c.resume_replay("standby2");
  BOOST_TEST(pt::query_value(c.standby2_url(), "select pg_get_wal_replay_pause_state()") ==
             "not paused");
  BOOST_TEST(eventually([&] { return has_mark(c.standby2_url(), id); }),
             "row " << id << " did not reach standby2 within 10 s of resuming");
}

BOOST_AUTO_TEST_CASE(the_primary_stops_and_starts_again) {
  auto& c = cluster();
  const std::string rows = pt::query_value(c.primary_url(), "select count(*) from marks");
  c.stop_node("primary");
  BOOST_CHECK_THROW(pt::query_value(c.primary_url(), "select 1"), pt::sql_error);
  // The standbys keep serving reads of what they have.
  for (const auto* url : {&c.standby_url(), &c.standby2_url()}) {
    BOOST_TEST(in_recovery(*url) == "t", *url);
    BOOST_TEST(pt::query_value(*url, "select count(*) from marks") == rows, *url);
  }

  c.start_node("primary");
  BOOST_TEST(in_recovery(c.primary_url()) == "f");
  c.wait_streaming();
  // wait_streaming returned only once both standbys stream again.
  BOOST_TEST(replication_states() == "standby:streaming,standby2:streaming");
  const int id = mark();
  BOOST_TEST(eventually([&] { return has_mark(c.standby_url(), id); }),
             "row " << id << " did not reach standby in 10 s after the primary's restart");
  BOOST_TEST(eventually([&] { return has_mark(c.standby2_url(), id); }),
             "row " << id << " did not reach standby2 in 10 s after the primary's restart");
}

BOOST_AUTO_TEST_CASE(a_promoted_standby_leaves_recovery) {
  auto& c = cluster();
  c.promote_node("standby2");
  BOOST_TEST(in_recovery(c.standby2_url()) == "f");
  // It takes writes of its own, which the primary and the other standby never see.
  pt::query(c.standby2_url(), "insert into marks values (1000)");
  BOOST_TEST(has_mark(c.standby2_url(), 1000));
  BOOST_TEST(!has_mark(c.primary_url(), 1000));
  // The other standby still streams from the primary.
  BOOST_TEST(in_recovery(c.standby_url()) == "t");
  const int id = mark();
  BOOST_TEST(eventually([&] { return has_mark(c.standby_url(), id); }),
             "row " << id << " did not reach standby in 10 s after standby2's promotion");
  BOOST_TEST(!has_mark(c.standby2_url(), id));
  // A promoted standby never streams again: wait_streaming says so instead of waiting.
  const auto before = std::chrono::steady_clock::now();
  BOOST_CHECK_THROW(c.wait_streaming(), std::runtime_error);
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - before);
  BOOST_TEST(waited.count() < 10000, "wait_streaming took " << waited.count() << " ms to fail");
  // Neither can it be paused or promoted again.
  BOOST_CHECK_THROW(c.pause_replay("standby2"), std::runtime_error);
  BOOST_CHECK_THROW(c.promote_node("standby2"), std::runtime_error);
}

BOOST_AUTO_TEST_CASE(node_names_are_checked_before_the_script_runs) {
  auto& c = cluster();
  BOOST_CHECK_THROW(c.stop_node("standby3"), std::invalid_argument);
  BOOST_CHECK_THROW(c.pause_replay("primary; true"), std::invalid_argument);
  BOOST_CHECK_THROW(pt::private_cluster({.standbys = 3}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(one_standby_by_default) {
  pt::private_cluster one;
  BOOST_TEST(!one.standby_url().empty());
  BOOST_TEST(one.standby2_url().empty());
  BOOST_TEST(pt::query_value(one.primary_url(),
                             "select count(*) from pg_stat_replication where state = "
                             "'streaming'") == "1");
  BOOST_CHECK_THROW(one.pause_replay("standby2"), std::invalid_argument);
  // The script refuses to pause replay where there is none.
  BOOST_CHECK_THROW(one.pause_replay("primary"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()

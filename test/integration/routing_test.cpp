// Reads among two standbys on a cluster of this test's own (one primary, two hot standbys):
// both standbys serve reads, a standby whose replay is paused stops serving them once it lags
// past max_replica_lag (a read after a write returns the new value) while the fresh one keeps
// serving them, and it serves them again once it has caught up.
#include <pgfns/database.hpp>

#include "core_db.hpp"
#include "private_cluster.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <thread>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::as_tuple;
using pgfns::test::meanwhile;
using pgfns::test::run_coroutine;
using pgfns::test::sleep_for;
using namespace std::chrono_literals;

namespace {

struct cluster_fixture {
  static inline pgfns::test::private_cluster* cluster = nullptr;
  cluster_fixture() {
    cluster = new pgfns::test::private_cluster({.standbys = 2});
    pgfns::test::install_core_schema(cluster->primary_url(), "routing");
    const std::string latest = std::to_string(pgfns::test::core_schema()->latest_version());
    for (const auto* url : {&cluster->standby_url(), &cluster->standby2_url()}) {
      bool replayed = false;
      for (int i = 0; i < 500 && !replayed; ++i) {
        try {
          replayed = pgfns::test::query_value(*url, "select version from tcversion") == latest;
        } catch (const std::exception&) {
        }
        if (!replayed) std::this_thread::sleep_for(20ms);
      }
      if (!replayed) throw std::runtime_error("a standby did not replay the schema: " + *url);
    }
  }
  ~cluster_fixture() { delete cluster; }
};
BOOST_TEST_GLOBAL_FIXTURE(cluster_fixture);

pgfns::test::private_cluster& cluster() {
  return *cluster_fixture::cluster;
}

int port_of(const std::string& url) {  // postgresql://postgres@127.0.0.1:PORT/postgres
  const auto colon = url.rfind(':');
  return std::stoi(url.substr(colon + 1, url.rfind('/') - colon - 1));
}

// standby2 first: on a tie of calls in flight, the first read server is chosen.
pgfns::database_options options() {
  pgfns::database_options o;
  o.schema = pgfns::test::core_schema();
  o.service = "shop";
  o.write_url = cluster().primary_url();
  o.read_urls = {cluster().standby2_url(), cluster().standby_url()};
  o.max_replica_lag = 1s;
  return o;
}

// The port of the server that answers a read.
awaitable<int> read_port(pgfns::database& d) {
  const pgfns::result r = co_await d.call("server_info");
  co_return static_cast<int>(r[0].at("port").as_int64());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(routing)

BOOST_AUTO_TEST_CASE(both_standbys_serve_reads) {
  run_coroutine([&](io_context& ioc) -> awaitable<void> {
    pgfns::database d(ioc.get_executor(), options());
    co_await d.async_start();
    // Sent together, the reads spread over the standbys with the fewest calls in flight.
    std::set<int> ports;
    for (int round = 0; round < 20 && ports.size() < 2; ++round) {
      using namespace boost::asio::experimental::awaitable_operators;
      auto [a, b] = co_await (read_port(d) && read_port(d));
      ports.insert(a);
      ports.insert(b);
    }
    BOOST_TEST(ports.count(port_of(cluster().standby_url())) == 1u);
    BOOST_TEST(ports.count(port_of(cluster().standby2_url())) == 1u);
    BOOST_TEST(ports.count(port_of(cluster().primary_url())) == 0u);
  });
}

BOOST_AUTO_TEST_CASE(a_lagging_standby_serves_no_reads_until_it_catches_up) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        pgfns::database d(ioc.get_executor(), options());
        co_await d.async_start();
        BOOST_TEST(co_await read_port(d) == port_of(cluster().standby2_url()));

        co_await meanwhile([] { cluster().pause_replay("standby2"); });
        const std::string name = "written while standby2 is paused";
        const pgfns::result w = co_await d.call("add_item", name);
        const auto id = w[0].at("id").as_int64();
        co_await sleep_for(2s);
        for (int i = 0; i < 20; ++i) {  // one at a time: each could go to standby2 on a tie
          const pgfns::result r = co_await d.call("get_item", id);
          BOOST_TEST_REQUIRE(r.rows.size() == 1u, "read " << i << " did not see the write");
          BOOST_TEST(r[0].at("name").as_string() == name);
          // Served by the fresh standby, not the primary.
          BOOST_TEST(co_await read_port(d) == port_of(cluster().standby_url()));
        }

        co_await meanwhile([] { cluster().resume_replay("standby2"); });
        bool back = false;
        for (int i = 0; i < 40 && !back; ++i) {
          back = co_await read_port(d) == port_of(cluster().standby2_url());
          if (!back) co_await sleep_for(100ms);
        }
        BOOST_TEST(back, "standby2 served no read within 4 s of resuming replay");
      },
      120s);
}

BOOST_AUTO_TEST_SUITE_END()

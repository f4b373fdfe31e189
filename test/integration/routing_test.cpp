// Reads among two standbys on a cluster of this test's own (one primary, two hot standbys):
// both standbys serve reads, a standby whose replay is paused stops serving them once it lags
// past max_replica_lag (a read after a write returns the new value) while the fresh one keeps
// serving them, and it serves them again once it has caught up.
#include <pgfns/database.hpp>

#include "two_standbys.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::as_tuple;
using pgfns::test::meanwhile;
using pgfns::test::run_coroutine;
using pgfns::test::sleep_for;
using namespace std::chrono_literals;

namespace {

using pgfns::test::two_standbys_fixture;
BOOST_TEST_GLOBAL_FIXTURE(two_standbys_fixture);

pgfns::test::private_cluster& cluster() {
  return pgfns::test::two_standbys();
}

using pgfns::test::port_of;

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

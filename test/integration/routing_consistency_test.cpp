// Read-your-writes on a cluster of this test's own (one primary, two hot standbys): with both
// standbys' replay paused, 1,000 write-then-read pairs never read a stale row (and the same
// reads without read-your-writes do, so the standbys would have served them); with the standbys
// fresh, the reads are served by them; a position handed to another database object carries
// the writes with it. Also: a database starts with its standbys proven fresh, and the routing
// shows itself in monitor events and in database::servers().
#include <pgfns/database.hpp>

#include "two_standbys.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::as_tuple;
using pgfns::test::meanwhile;
using pgfns::test::port_of;
using pgfns::test::run_coroutine;
using pgfns::test::sleep_for;
using namespace std::chrono_literals;

namespace {

using pgfns::test::two_standbys_fixture;
BOOST_TEST_GLOBAL_FIXTURE(two_standbys_fixture);

pgfns::test::private_cluster& cluster() {
  return pgfns::test::two_standbys();
}

pgfns::database_options options() {
  pgfns::database_options o;
  o.schema = pgfns::test::core_schema();
  o.service = "shop";
  o.write_url = cluster().primary_url();
  o.read_urls = {cluster().standby_url(), cluster().standby2_url()};
  return o;
}

void pause_both() {
  cluster().pause_replay("standby");
  cluster().pause_replay("standby2");
}

void resume_both() {
  cluster().resume_replay("standby");
  cluster().resume_replay("standby2");
}

bool served_by_primary(const pgfns::result& r) {
  return r.diag.server.find(std::to_string(port_of(cluster().primary_url()))) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(routing_consistency)

BOOST_AUTO_TEST_CASE(own_writes_are_never_read_stale_from_lagging_standbys) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        auto o = options();
        o.max_replica_lag = 0ms;  // no bound: only read-your-writes keeps the reads fresh
        o.read_your_writes = true;
        pgfns::database d(ioc.get_executor(), o);
        co_await d.async_start();
        co_await meanwhile(pause_both);
        int stale = 0, by_primary = 0;
        for (int i = 0; i < 1000; ++i) {
          const std::string name = "ryw " + std::to_string(i);
          const pgfns::result w = co_await d.call("add_item", name);
          const auto id = w[0].at("id").as_int64();
          const pgfns::result r = co_await d.call("get_item", id);
          if (r.rows.size() != 1u || r[0].at("name").as_string() != name) ++stale;
          if (served_by_primary(r)) ++by_primary;
          if (i == 999) {
            // The control: the same read without read-your-writes goes to a paused standby.
            const pgfns::result s =
                co_await d.call_with({.read_your_writes = false}, "get_item", id);
            BOOST_TEST(s.rows.empty(), "a standby served the row although its replay is paused");
            BOOST_TEST(!served_by_primary(s));
          }
        }
        BOOST_TEST(stale == 0);
        BOOST_TEST(by_primary == 1000);
        co_await meanwhile(resume_both);
      },
      300s);
}

BOOST_AUTO_TEST_CASE(own_writes_are_read_from_fresh_standbys) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        auto o = options();
        o.read_your_writes = true;
        o.read_your_writes_wait = 1s;  // generous under valgrind; a fresh standby takes ~1 ms
        pgfns::database d(ioc.get_executor(), o);
        co_await d.async_start();
        int stale = 0, by_primary = 0;
        for (int i = 0; i < 1000; ++i) {
          const std::string name = "fresh " + std::to_string(i);
          const pgfns::result w = co_await d.call("add_item", name);
          const auto id = w[0].at("id").as_int64();
          const pgfns::result r = co_await d.call("get_item", id);
          if (r.rows.size() != 1u || r[0].at("name").as_string() != name) ++stale;
          if (served_by_primary(r)) ++by_primary;
        }
        BOOST_TEST(stale == 0);
        BOOST_TEST_MESSAGE("reads served by the primary: " << by_primary << " of 1000");
        BOOST_TEST(by_primary <= 100, by_primary << " of 1000 reads went to the primary");
      },
      300s);
}

BOOST_AUTO_TEST_CASE(a_position_carries_writes_to_another_database) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        auto o = options();
        o.max_replica_lag = 0ms;
        pgfns::database writer(ioc.get_executor(), o);
        pgfns::database reader(ioc.get_executor(), o);  // as in another process
        co_await writer.async_start();
        co_await reader.async_start();
        co_await meanwhile(pause_both);
        const pgfns::result w = co_await writer.call("add_item", "carried");
        const auto id = w[0].at("id").as_int64();
        const pgfns::read_position p = co_await writer.async_read_position();
        // As text, the way it travels to a client and back.
        const auto parsed = pgfns::read_position::parse(p.to_string());
        BOOST_TEST_REQUIRE(parsed.has_value(), p.to_string());
        BOOST_TEST((*parsed == p));
        const pgfns::result stale = co_await reader.call("get_item", id);
        BOOST_TEST(stale.rows.empty(), "the paused standbys were expected to lack the row");
        const pgfns::result r = co_await reader.call_with({.after = parsed}, "get_item", id);
        BOOST_TEST_REQUIRE(r.rows.size() == 1u);
        BOOST_TEST(r[0].at("name").as_string() == "carried");
        BOOST_TEST(served_by_primary(r));

        co_await meanwhile(resume_both);
        bool by_standby = false;  // once replayed, a standby serves it
        for (int i = 0; i < 100 && !by_standby; ++i) {
          const pgfns::result again = co_await reader.call_with({.after = parsed}, "get_item", id);
          BOOST_TEST_REQUIRE(again.rows.size() == 1u);
          by_standby = !served_by_primary(again);
          if (!by_standby) co_await sleep_for(100ms);
        }
        BOOST_TEST(by_standby, "no standby served the read within 10 s of resuming replay");
        BOOST_TEST(!pgfns::read_position::parse("not a position"));
        BOOST_TEST(!pgfns::read_position::parse("1/"));
      },
      120s);
}

BOOST_AUTO_TEST_CASE(a_started_database_reads_from_its_standbys_at_once) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        pgfns::database busy(ioc.get_executor(), options());
        co_await busy.async_start();
        for (int round = 0; round < 10; ++round) {
          // Writes just before the start: the standbys replay them within milliseconds, and
          // the start waits for that rather than send the first reads to the primary.
          for (int i = 0; i < 20; ++i) co_await busy.call("add_item", "before start");
          pgfns::database d(ioc.get_executor(), options());
          co_await d.async_start();
          const pgfns::result r = co_await d.call("server_info");
          BOOST_TEST(!served_by_primary(r), "round " << round << ": " << r.diag.server);
        }
      },
      120s);
}

BOOST_AUTO_TEST_CASE(a_stalled_standby_does_not_hold_the_start_for_the_whole_lag_bound) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        pgfns::database busy(ioc.get_executor(), options());
        co_await busy.async_start();
        co_await meanwhile([] { cluster().pause_replay("standby2"); });
        co_await busy.call("add_item", "standby2 never replays this before the start");
        auto o = options();
        o.max_replica_lag = 100s;  // waiting it out would fail this test's 60 s limit
        pgfns::database d(ioc.get_executor(), o);
        const auto began = std::chrono::steady_clock::now();
        co_await d.async_start();
        const auto took = std::chrono::steady_clock::now() - began;
        BOOST_TEST(took < 30s,
                   "async_start took "
                       << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                       << " ms");
        const auto servers = d.servers();
        BOOST_TEST(servers[1].serves_reads);   // standby: fresh
        BOOST_TEST(!servers[2].serves_reads);  // standby2: paused behind the primary's samples
        co_await meanwhile([] { cluster().resume_replay("standby2"); });
      },
      60s);
}

BOOST_AUTO_TEST_CASE(routing_shows_in_monitor_events_and_server_stats) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        auto o = options();
        o.max_replica_lag = 1s;
        std::vector<std::string> events;
        o.monitor.on_route = [&](const pgfns::route_event& e) {
          std::string text = std::string(e.method) + " -> " + std::string(e.server);
          for (const auto& s : e.skipped)
            text += "; skipped " + std::string(s.server) + ": " + std::string(s.why);
          events.push_back(std::move(text));
        };
        pgfns::database d(ioc.get_executor(), o);
        co_await d.async_start();
        co_await meanwhile([] { cluster().pause_replay("standby2"); });
        co_await d.call("add_item", "while standby2 is paused");
        co_await sleep_for(2s);
        events.clear();
        const pgfns::result r = co_await d.call("server_info");
        BOOST_TEST(static_cast<int>(r[0].at("port").as_int64()) ==
                   port_of(cluster().standby_url()));
        BOOST_TEST_REQUIRE(events.size() == 1u);
        const std::string s2 = std::to_string(port_of(cluster().standby2_url()));
        BOOST_TEST(events[0].find("server_info -> ") == 0u, events[0]);
        BOOST_TEST(events[0].find(":" + s2 + "/postgres: lags more than max_replica_lag") !=
                       std::string::npos,
                   events[0]);

        const auto servers = d.servers();
        BOOST_TEST_REQUIRE(servers.size() == 3u);
        BOOST_TEST(servers[0].role == "primary");
        BOOST_TEST((servers[0].pool == pgfns::pool_role::write));
        const int latest = pgfns::test::core_schema()->latest_version();
        BOOST_TEST(servers[0].version == latest);
        BOOST_TEST(servers[1].role == "standby");
        BOOST_TEST(servers[1].serves_reads);
        BOOST_TEST(servers[1].version == latest);
        BOOST_TEST_REQUIRE(servers[1].lag.has_value());
        BOOST_TEST(servers[1].lag->count() < 1000);
        BOOST_TEST(servers[2].role == "standby");
        BOOST_TEST(!servers[2].serves_reads);
        BOOST_TEST(servers[2].skipped == "lags more than max_replica_lag");
        BOOST_TEST((!servers[2].lag || servers[2].lag->count() > 1000));
        BOOST_TEST(servers[2].server.find(s2) != std::string::npos, servers[2].server);
        co_await meanwhile([] { cluster().resume_replay("standby2"); });
      },
      120s);
}

BOOST_AUTO_TEST_SUITE_END()

// Servers that go away and come back, on a cluster of this test's own: reads fall back to the
// primary while the standby is down and return to it when it is back; without fallback they
// wait; a restarted primary is reconnected without restarting anything.
#include <pgfns/database.hpp>

#include "core_db.hpp"
#include "private_cluster.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::as_tuple;
using pgfns::test::meanwhile;
using pgfns::test::run_coroutine;
using pgfns::test::sleep_for;
using namespace std::chrono_literals;

namespace {

// One cluster for the whole program, with the core test schema in its `postgres` database.
struct cluster_fixture {
  static inline pgfns::test::private_cluster* cluster = nullptr;
  cluster_fixture() {
    cluster = new pgfns::test::private_cluster();
    pgfns::test::install_core_schema(cluster->primary_url(), "failover");
    const std::string latest = std::to_string(pgfns::test::core_schema()->latest_version());
    for (int i = 0; i < 500; ++i) {
      try {
        if (pgfns::test::query_value(cluster->standby_url(), "select version from tcversion") ==
            latest)
          return;
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(20ms);
    }
    throw std::runtime_error("the standby did not replay the schema");
  }
  ~cluster_fixture() { delete cluster; }
};
BOOST_TEST_GLOBAL_FIXTURE(cluster_fixture);

pgfns::test::private_cluster& cluster() {
  return *cluster_fixture::cluster;
}

pgfns::database_options options() {
  pgfns::database_options o;
  o.schema = pgfns::test::core_schema();
  o.service = "shop";
  o.write_url = cluster().primary_url();
  o.read_url = cluster().standby_url();
  o.acquire_timeout = 15s;
  return o;
}

awaitable<void> stop_node(std::string node) {
  co_await meanwhile([&] { cluster().stop_node(node); });
}
awaitable<void> start_node(std::string node) {
  co_await meanwhile([&] { cluster().start_node(node); });
}

// Reads until one is answered by the pool `want` (at most `limit`); every read must succeed.
awaitable<bool> read_until_pool(pgfns::database& d, std::string_view want,
                                std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto [ec, r] = co_await d.call("server_info", as_tuple);
    BOOST_TEST(!ec, pgfns::format_error(ec, r.diag));
    if (!ec && r.diag.pool == want) {
      BOOST_TEST(r[0].at("in_recovery").as_bool() == (want == "read"));
      co_return true;
    }
    co_await sleep_for(50ms);
  }
  co_return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pool_failover)

BOOST_AUTO_TEST_CASE(reads_fall_back_to_the_primary_while_the_standby_is_down) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        pgfns::database d(ioc.get_executor(), options());
        co_await d.async_start();
        BOOST_TEST(co_await read_until_pool(d, "read", 1s));
        co_await stop_node("standby");
        BOOST_TEST(co_await read_until_pool(d, "write", 10s));
        BOOST_TEST(!d.stats(pgfns::pool_role::read).available);
        for (int i = 0; i < 20; ++i) {  // all served, by the primary
          const pgfns::result r = co_await d.call("server_info");
          BOOST_TEST(r.diag.pool == "write");
        }
        co_await start_node("standby");
        BOOST_TEST(co_await read_until_pool(d, "read", 20s));
        BOOST_TEST(d.stats(pgfns::pool_role::read).available);
      },
      120s);
}

BOOST_AUTO_TEST_CASE(without_fallback_reads_wait_for_the_standby) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        auto o = options();
        o.read_fallback = false;
        o.acquire_timeout = 500ms;
        pgfns::database d(ioc.get_executor(), o);
        co_await d.async_start();
        co_await stop_node("standby");
        auto [first, r1] = co_await d.call("server_info", as_tuple);  // may meet the dying socket
        BOOST_TEST((first == pgfns::errc::pool_timeout || first == pgfns::errc::connection_lost),
                   first.message());
        auto [ec, r] = co_await d.call("server_info", as_tuple);
        BOOST_TEST(ec == pgfns::errc::pool_timeout);
        BOOST_TEST(r.diag.pool == "read");
        BOOST_TEST(r.diag.message.find("no connection of the read pool") == 0u, r.diag.message);
        BOOST_TEST(r.diag.message.find("Connection refused") != std::string::npos, r.diag.message);
        co_await start_node("standby");
        o.acquire_timeout = 20s;
        bool back = false;
        for (int i = 0; i < 40 && !back; ++i) {
          auto [again, r2] = co_await d.call("server_info", as_tuple);
          back = !again && r2.diag.pool == "read";
          if (!back) co_await sleep_for(250ms);
        }
        BOOST_TEST(back);
      },
      120s);
}

BOOST_AUTO_TEST_CASE(a_restarted_primary_is_reconnected) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        pgfns::database d(ioc.get_executor(), options());
        co_await d.async_start();
        const pgfns::result before = co_await d.call("backend_pid_write");
        co_await meanwhile([] { cluster().restart_node("primary"); });
        const pgfns::result after = co_await d.call("add_item", "after restart");
        BOOST_TEST(after.size() == 1u);
        const pgfns::result pid = co_await d.call("backend_pid_write");
        BOOST_TEST(pid[0].at("backend_pid_write") != before[0].at("backend_pid_write"));
        co_await meanwhile([] { cluster().wait_streaming(); });
      },
      120s);
}

BOOST_AUTO_TEST_CASE(start_succeeds_while_the_standby_is_down) {
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        co_await stop_node("standby");
        pgfns::database d(ioc.get_executor(), options());
        auto [ec, diag] = co_await d.async_start(as_tuple);
        BOOST_TEST(!ec, pgfns::format_error(ec, diag));
        BOOST_TEST(diag.message.find("read server unreachable") == 0u, diag.message);
        BOOST_TEST(co_await read_until_pool(d, "write", 1s));
        co_await start_node("standby");
        BOOST_TEST(co_await read_until_pool(d, "read", 20s));
      },
      120s);
}

BOOST_AUTO_TEST_SUITE_END()

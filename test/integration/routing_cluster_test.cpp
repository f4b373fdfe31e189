// Replica routing through whole-cluster events, each case on a cluster of its own (one primary,
// two hot standbys) holding the shop schema of db/ with one product: issue 12's "done when"
// items.
//  - A read method added by an upgrade works at once while both standbys are paused: the
//    primary serves it (the standbys' tcversion is older), a standby still serves the old read
//    methods when max_replica_lag allows, and a standby serves the new method once it has
//    replayed the upgrade.
//  - After the primary stops and a standby is promoted, reads go to the other standby only and
//    writes to the old primary fail at once with errc::server_unavailable; a database writing to
//    the promoted standby takes writes.
//  - While the primary is stopped reads go to the standbys and writes fail with
//    errc::server_unavailable naming the write server; once it is back, the same database
//    object writes again.
#include <pgfns/database.hpp>
#include <pgfns/upgrade.hpp>

#include "core_db.hpp"
#include "schema_test_paths.hpp"
#include "shop_cluster.hpp"
#include "temp_tree.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <string>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::as_tuple;
using pgfns::test::meanwhile;
using pgfns::test::run_coroutine;
using pgfns::test::sleep_for;
using namespace std::chrono_literals;
namespace pt = pgfns::test;
using pt::load_schema;
using pt::server_of;
using pt::shop_cluster;

namespace {

// The version added to the shop schema by the upgrade of the first case: a read method only.
constexpr const char* version_5 = R"(version: 5
description: product counts, a read method added by an upgrade
methods:
  count_products:
    description: |-
      The number of products, and how many of them are on sale.
    mode: read
    serviceName: catalog
    args: ''
    returns: table(product_count bigint, active_count bigint)
    body: |-
      begin
        return query
        select count(*), count(*) filter (where products.active) from products;
      end
)";

std::chrono::milliseconds since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               t);
}

// Starts a database, failing the test with the start's error when it does not start.
awaitable<void> start(pgfns::database& d) {
  auto [ec, diag] = co_await d.async_start(as_tuple);
  BOOST_TEST_REQUIRE(!ec, "async_start: " << pgfns::format_error(ec, diag));
}

// get_product(1), as an awaitable the awaitable operators can combine; throws on failure.
awaitable<pgfns::result> read_first(pgfns::database& d) {
  co_return co_await d.call("get_product", 1);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(routing_cluster)

BOOST_FIXTURE_TEST_CASE(a_read_method_added_by_an_upgrade_works_while_the_standbys_are_paused,
                        shop_cluster) {
  // The shop schema plus version 5, in a copy of db/.
  pt::temp_tree tree(pt::env_dir("PGFNS_SOURCE_DIR") / "db");
  std::ofstream(tree.path() / "versions" / "0005.yml") << version_5;
  const auto upgraded = load_schema(tree.path());
  BOOST_TEST_REQUIRE(upgraded->latest_version() == shop->latest_version() + 1);
  const std::string primary = server_of(cluster.primary_url());
  const std::set<std::string> standbys{server_of(cluster.standby_url()),
                                       server_of(cluster.standby2_url())};

  cluster.pause_replay("standby");
  cluster.pause_replay("standby2");
  pgfns::upgrade(*upgraded, upgrade_options());
  BOOST_TEST(pgfns::db_version(cluster.primary_url()) == upgraded->latest_version());
  // Neither standby has the new version while paused.
  for (const auto* url : {&cluster.standby_url(), &cluster.standby2_url()}) {
    BOOST_TEST(pt::query_value(*url, "select version from tcversion") ==
                   std::to_string(shop->latest_version()),
               *url);
  }

  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        auto o = options(upgraded, cluster.primary_url());
        o.max_replica_lag = 0ms;  // no bound: the paused standbys stay eligible by their lag
        pgfns::database d(ioc.get_executor(), o);
        co_await start(d);

        // The first call of the new method works: the primary serves it.
        for (int i = 0; i < 5; ++i) {
          auto [ec, r] = co_await d.call("count_products", as_tuple);
          BOOST_TEST_REQUIRE(!ec,
                             "count_products " << i << ": " << pgfns::format_error(ec, r.diag));
          BOOST_TEST_REQUIRE(r.size() == 1u);
          BOOST_TEST(r[0].at("product_count").as_int64() == 1);
          BOOST_TEST(r.diag.pool == "write");  // reads served by the primary use its pool
          BOOST_TEST(r.diag.server == primary, "count_products " << i << " served by "
                                                                 << r.diag.server << " ("
                                                                 << r.diag.pool << " pool)");
        }
        // An old read method is served by a standby, which has its version.
        for (int i = 0; i < 5; ++i) {
          auto [ec, r] = co_await d.call("get_product", 1, as_tuple);
          BOOST_TEST_REQUIRE(!ec, "get_product " << i << ": " << pgfns::format_error(ec, r.diag));
          BOOST_TEST_REQUIRE(r.size() == 1u);
          BOOST_TEST(r[0].at("name").as_string() == "first");
          BOOST_TEST(r.diag.pool == "read");
          BOOST_TEST(standbys.count(r.diag.server) == 1u,
                     "get_product " << i << " served by " << r.diag.server);
        }

        // With the default lag bound, a standby paused behind the primary since before this
        // database started is too stale: the primary serves even the old read method.
        pgfns::database bounded(ioc.get_executor(), options(upgraded, cluster.primary_url()));
        co_await start(bounded);
        {
          auto [ec, r] = co_await bounded.call("get_product", 1, as_tuple);
          BOOST_TEST_REQUIRE(!ec, "get_product (bounded): " << pgfns::format_error(ec, r.diag));
          BOOST_TEST_REQUIRE(r.size() == 1u);
          BOOST_TEST(r.diag.server == primary, "served by " << r.diag.server);
        }

        // Once a standby has replayed the upgrade, it serves the new method.
        co_await meanwhile([&] {
          cluster.resume_replay("standby");
          cluster.resume_replay("standby2");
          wait_replayed();
        });
        bool on_standby = false;
        const auto resumed = std::chrono::steady_clock::now();
        while (!on_standby && since(resumed) < 20s) {
          auto [ec, r] = co_await d.call("count_products", as_tuple);
          BOOST_TEST_REQUIRE(!ec,
                             "count_products after resuming: " << pgfns::format_error(ec, r.diag));
          BOOST_TEST(r[0].at("product_count").as_int64() == 1);
          on_standby = standbys.count(r.diag.server) == 1u;
          if (on_standby) BOOST_TEST(r.diag.pool == "read");
          if (!on_standby) co_await sleep_for(50ms);
        }
        BOOST_TEST(on_standby,
                   "no standby served count_products within 20 s of replaying the "
                   "upgrade (probe_interval is 500 ms)");
      },
      120s);
}

BOOST_FIXTURE_TEST_CASE(after_a_promotion_reads_go_to_the_remaining_standby_only, shop_cluster) {
  cluster.stop_node("primary");
  cluster.promote_node("standby");
  const std::string old_primary = server_of(cluster.primary_url());
  const std::string promoted = server_of(cluster.standby_url());
  const std::string standby2 = server_of(cluster.standby2_url());
  BOOST_TEST_REQUIRE(pt::query_value(cluster.standby_url(), "select pg_is_in_recovery()") == "f");
  BOOST_TEST_REQUIRE(pt::query_value(cluster.standby2_url(), "select pg_is_in_recovery()") == "t");

  // A database writing to the promoted standby takes writes; its reads are its own.
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        auto o = options(shop, cluster.standby_url());
        o.read_urls.clear();
        pgfns::database d(ioc.get_executor(), o);
        co_await start(d);
        auto [ec, w] = co_await d.call("create_product", "sku-promoted", "after promotion", "", 3.0,
                                       2, nullptr, nullptr, as_tuple);
        BOOST_TEST_REQUIRE(!ec, "write: " << pgfns::format_error(ec, w.diag));
        BOOST_TEST(w.diag.pool == "write");
        BOOST_TEST(w.diag.server == promoted);
        const auto id = w[0].at("product_id").as_int64();
        const pgfns::result r = co_await d.call("get_product", id);
        BOOST_TEST_REQUIRE(r.size() == 1u);
        BOOST_TEST(r[0].at("name").as_string() == "after promotion");
        BOOST_TEST(r.diag.server == promoted);
      },
      60s);

  // A database whose write server is the stopped primary, the promoted standby listed first
  // among the read servers (it would win ties).
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        pgfns::database d(ioc.get_executor(), options(shop, cluster.primary_url()));
        co_await start(d);

        // Reads: standby2, one at a time and two at once (the second of a pair would go to the
        // first listed read server if it were eligible: standby2 has a call in flight then).
        // standby2 has not seen the promoted standby's product.
        for (int i = 0; i < 10; ++i) {
          auto [ec, r] = co_await d.call("get_product", 1, as_tuple);
          BOOST_TEST_REQUIRE(!ec, "read " << i << ": " << pgfns::format_error(ec, r.diag));
          BOOST_TEST_REQUIRE(r.size() == 1u);
          BOOST_TEST(r[0].at("name").as_string() == "first");
          BOOST_TEST(r.diag.pool == "read");
          BOOST_TEST(r.diag.server == standby2, "read " << i << " served by " << r.diag.server);
        }
        for (int i = 0; i < 10; ++i) {
          using namespace boost::asio::experimental::awaitable_operators;
          auto [a, b] = co_await (read_first(d) && read_first(d));
          for (const auto* r : {&a, &b}) {
            BOOST_TEST(r->size() == 1u);
            BOOST_TEST(r->diag.server == standby2, "pair " << i << " served by " << r->diag.server);
          }
        }
        {
          const pgfns::result page = co_await d.call("list_products_after", nullptr, 10);
          BOOST_TEST(page.size() == 1u, "standby2 lists " << page.size() << " products");
          BOOST_TEST(page.diag.server == standby2);
        }

        // Writes go to the stopped primary: they fail at once, naming it.
        for (int i = 0; i < 2; ++i) {
          const auto before = std::chrono::steady_clock::now();
          auto [ec, r] = co_await d.call("create_product", "sku-w" + std::to_string(i), "lost", "",
                                         1.0, 1, nullptr, nullptr, as_tuple);
          const auto took = since(before);
          BOOST_TEST(ec == pgfns::errc::server_unavailable,
                     "write " << i << ": " << pgfns::format_error(ec, r.diag));
          BOOST_TEST(r.diag.pool == "write");
          BOOST_TEST(r.diag.server == old_primary);
          // Far below acquire_timeout (20 s): the write did not wait for a connection.
          BOOST_TEST(took < 10s, "write " << i << " took " << took.count() << " ms to fail");
        }
      },
      120s);
}

BOOST_FIXTURE_TEST_CASE(writes_resume_on_the_same_database_after_the_primary_restarts,
                        shop_cluster) {
  const std::string password = "rc-secret-8d1f";  // trust authentication: never checked
  const std::string primary = server_of(cluster.primary_url());
  const std::set<std::string> standbys{server_of(cluster.standby_url()),
                                       server_of(cluster.standby2_url())};
  std::string write_url = cluster.primary_url();
  write_url.insert(write_url.find('@'), ":" + password);

  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        auto o = options(shop, write_url);
        // Shorter than the read phase below, so that the standbys serve reads there only
        // because the lag bound is not applied while the primary is down.
        o.max_replica_lag = 1s;
        pgfns::database d(ioc.get_executor(), o);
        co_await start(d);
        {
          const pgfns::result w = co_await d.call("create_product", "sku-before", "before", "",
                                                  1.25, 1, nullptr, nullptr);
          BOOST_TEST(w.diag.pool == "write");
          BOOST_TEST(w.diag.server == primary);
        }

        co_await meanwhile([&] { cluster.stop_node("primary"); });
        const auto stopped = std::chrono::steady_clock::now();

        // Reads: the standbys, for longer than max_replica_lag.
        int reads = 0;
        while (since(stopped) < 3s || reads < 10) {
          auto [ec, r] = co_await d.call("get_product", 1, as_tuple);
          BOOST_TEST_REQUIRE(!ec,
                             "read " << reads << " (" << since(stopped).count()
                                     << " ms after the stop): " << pgfns::format_error(ec, r.diag));
          BOOST_TEST_REQUIRE(r.size() == 1u);
          BOOST_TEST(r[0].at("name").as_string() == "first");
          BOOST_TEST(r.diag.pool == "read");
          BOOST_TEST(standbys.count(r.diag.server) == 1u,
                     "read " << reads << " served by " << r.diag.server);
          ++reads;
          co_await sleep_for(100ms);
        }

        // Writes: refused at once, naming the write server, never its password.
        for (int i = 0; i < 2; ++i) {
          const auto before = std::chrono::steady_clock::now();
          auto [ec, r] = co_await d.call("create_product", "sku-stopped" + std::to_string(i),
                                         "lost", "", 1.0, 1, nullptr, nullptr, as_tuple);
          const auto took = since(before);
          const std::string line = pgfns::format_error(ec, r.diag);
          BOOST_TEST_MESSAGE("write " << i << " while the primary is stopped: " << line);
          BOOST_TEST(ec == pgfns::errc::server_unavailable, "write " << i << ": " << line);
          BOOST_TEST(r.diag.pool == "write");
          BOOST_TEST(r.diag.server == primary);
          BOOST_TEST(line.find(primary) != std::string::npos, line);
          BOOST_TEST(line.find(password) == std::string::npos, line);
          BOOST_TEST(r.diag.message.find(password) == std::string::npos, r.diag.message);
          BOOST_TEST(took < 10s, "write " << i << " took " << took.count() << " ms to fail");
        }

        // Back: the same database object writes again, within a bounded retry loop.
        co_await meanwhile([&] { cluster.start_node("primary"); });
        const auto started = std::chrono::steady_clock::now();
        int attempts = 0;
        bool written = false;
        std::string last_failure;
        while (!written && since(started) < 30s) {
          ++attempts;
          auto [ec, r] = co_await d.call("create_product", "sku-after", "after the restart", "",
                                         1.0, 1, nullptr, nullptr, as_tuple);
          if (ec) {
            last_failure = pgfns::format_error(ec, r.diag);
            // While it comes back, a write is refused; it never runs without saying so.
            BOOST_TEST(ec == pgfns::errc::server_unavailable,
                       "attempt " << attempts << ": " << last_failure);
            co_await sleep_for(100ms);
            continue;
          }
          written = true;
          BOOST_TEST(r.diag.pool == "write");
          BOOST_TEST(r.diag.server == primary);
          BOOST_TEST_REQUIRE(r.size() == 1u);
        }
        BOOST_TEST_MESSAGE("written after " << attempts << " attempts, " << since(started).count()
                                            << " ms after the start");
        BOOST_TEST_REQUIRE(written, "no write succeeded within 30 s of the primary's start; last: "
                                        << last_failure);
        // The row is on the primary, exactly once.
        BOOST_TEST(pt::query_value(cluster.primary_url(),
                                   "select count(*) from products where sku = 'sku-after'") == "1");
        BOOST_TEST(pt::query_value(cluster.primary_url(),
                                   "select count(*) from products where name = 'lost'") == "0");
      },
      120s);
}

BOOST_AUTO_TEST_SUITE_END()

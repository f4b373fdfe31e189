// `pgfns call`, by running the built binary against a real primary and standby: rows as JSON
// lines, arguments as JSON or strings, named arguments, one error line that never shows a
// password, calls that do not fit the method refused before any SQL, and reads among several
// standbys kept within --max-replica-lag (on a cluster of the test's own).
#include "core_db.hpp"
#include "private_cluster.hpp"
#include "run_process.hpp"
#include "upgrade_test.hpp"

#include <pgfns/schema.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

using pgfns::test::core_database;
using pgfns::test::process_result;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  if (!v) throw std::runtime_error(std::string(name) + " is not set (run the tests through ctest)");
  return v;
}

std::string fixture() {
  return env("PGFNS_SOURCE_DIR") + "/test/fixtures/core-db";
}

struct cli_fixture {
  core_database db{"cli_call"};

  // `pgfns call --db ... --service shop --write-url W --read-url R ARGS...`
  process_result call(const std::vector<std::string>& args) const {
    return call_with(db.scratch().write_url(), db.scratch().read_url(), args);
  }

  static process_result call_with(const std::string& write_url, const std::string& read_url,
                                  const std::vector<std::string>& args,
                                  const std::string& schema = fixture()) {
    std::vector<std::string> argv = {env("PGFNS_CLI"), "call",  "--db",        schema,
                                     "--service",      "shop",  "--write-url", write_url,
                                     "--read-url",     read_url};
    argv.insert(argv.end(), args.begin(), args.end());
    return pgfns::test::run_process(argv);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cli_call, cli_fixture)

BOOST_AUTO_TEST_CASE(prints_each_row_as_one_json_line) {
  const auto r = call({"numbers", "3"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n");
  BOOST_TEST(r.err.empty());
}

BOOST_AUTO_TEST_CASE(arguments_are_json_when_they_parse_and_strings_otherwise) {
  BOOST_TEST(call({"sum_two", "40", "2"}).out == "{\"sum_two\":42}\n");
  BOOST_TEST(call({"echo_text", "hello world"}).out == "{\"v\":\"hello world\"}\n");
  BOOST_TEST(call({"echo_text", "\"quoted\""}).out == "{\"v\":\"quoted\"}\n");
  BOOST_TEST(call({"echo_text", "12abc"}).out == "{\"v\":\"12abc\"}\n");
  BOOST_TEST(call({"echo_jsonb", "{\"a\":[1,true,null]}"}).out ==
             "{\"v\":{\"a\":[1,true,null]}}\n");
  BOOST_TEST(call({"echo_int4_array", "[3,2,1]"}).out == "{\"v\":[3,2,1]}\n");
  BOOST_TEST(call({"echo_bool", "null"}).out == "{\"v\":null}\n");
}

BOOST_AUTO_TEST_CASE(named_arguments) {
  BOOST_TEST(call({"--named", "{\"b_in\": 2, \"a_in\": 5}", "sum_two"}).out == "{\"sum_two\":7}\n");
  const auto bad = call({"--named", "{\"b\": 2}", "sum_two"});
  BOOST_TEST(bad.exit_code == 1);
  BOOST_TEST(bad.err.find("error: bad_arguments: named argument \"b\"") == 0u, bad.err);
  const auto mixed = call({"--named", "{\"a_in\": 2}", "sum_two", "1"});
  BOOST_TEST(mixed.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(writes_go_to_the_primary) {
  const auto r = call({"server_info_write"});
  BOOST_TEST(r.out ==
             "{\"in_recovery\":false,\"port\":" +
                 pgfns::test::query_value(db.scratch().write_url(), "select inet_server_port()") +
                 "}\n");
}

BOOST_AUTO_TEST_CASE(errors_are_one_line_with_the_sqlstate_or_code) {
  const auto r = call({"fail_with", "22023", "no such widget"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.find("error: 22023: no such widget (some detail) [hint: some hint] (method "
                        "fail_with, read pool, server ") == 0u,
             r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  const auto unknown = call({"nope"});
  BOOST_TEST(unknown.err ==
             "error: unknown_method: no method \"nope\" in the schema (version 2) "
             "(method nope)\n");
  const auto foreign = call({"audit_note", "x"});
  BOOST_TEST(foreign.err.find("error: wrong_service: ") == 0u, foreign.err);
  const auto old = call({"old_get_item", "1"});
  BOOST_TEST(old.err.find("error: deprecated_method: ") == 0u, old.err);
  BOOST_TEST(call({"--deprecated", "old_get_item", "1"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(the_schema_may_be_its_json_form) {
  const auto json = pgfns::test::run_process({env("PGFNS_CLI"), "schema", "json", fixture()});
  BOOST_REQUIRE(json.exit_code == 0);
  const std::string path = db.scratch().name() + ".json";  // in the test's working directory
  std::ofstream(path) << json.out;
  const auto r =
      call_with(db.scratch().write_url(), db.scratch().read_url(), {"sum_two", "1", "1"}, path);
  std::remove(path.c_str());
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "{\"sum_two\":2}\n");
}

BOOST_AUTO_TEST_CASE(passwords_are_never_printed) {
  const std::string refused = "postgresql://someone:s3cr3t@127.0.0.1:1/db";
  const auto r = call_with(refused, refused, {"sum_two", "1", "2"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("error: connect_failed: ") == 0u, r.err);
  BOOST_TEST(r.err.find("s3cr3t") == std::string::npos, r.err);
  const std::string malformed = "postgresql://someone:s3cr3t@h/db?bogus=1";
  const auto r2 = call_with(malformed, malformed, {"sum_two", "1", "2"});
  BOOST_TEST(r2.exit_code == 1);
  BOOST_TEST(r2.err.find("s3cr3t") == std::string::npos, r2.err);
  BOOST_TEST(r2.err.find("bogus") != std::string::npos, r2.err);
}

// PGFNS_WRITE_URL and PGFNS_READ_URL stand in for --write-url and --read-url.
BOOST_AUTO_TEST_CASE(urls_may_come_from_the_environment) {
  pgfns::test::process_options o;
  o.env = {"PGFNS_WRITE_URL=" + db.scratch().write_url(),
           "PGFNS_READ_URL=" + db.scratch().read_url()};
  const std::vector<std::string> argv = {env("PGFNS_CLI"), "call",      "--db",
                                         fixture(),        "--service", "shop"};
  auto with = [&](std::vector<std::string> more) {
    auto a = argv;
    a.insert(a.end(), more.begin(), more.end());
    return pgfns::test::run_process(a, o);
  };
  auto r = with({"server_info_write"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.find("\"in_recovery\":false") != std::string::npos, r.out);
  if (pgfns::test::has_standby()) {
    r = with({"server_info"});
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out.find("\"in_recovery\":true") != std::string::npos, r.out);
  }
}

// --timeout is the call's deadline: a read still running then fails with call_timeout, not
// before it and well within it plus the margin.
BOOST_AUTO_TEST_CASE(the_timeout_option_bounds_the_call) {
  const auto started = std::chrono::steady_clock::now();
  const auto r = call({"--timeout", "1", "sleep", "20"});
  const auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.err.find("error: call_timeout") == 0u, r.err);
  BOOST_TEST(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  BOOST_TEST((took >= std::chrono::seconds(1) && took < std::chrono::seconds(19)));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_call_refusals)

// Calls of the example schema (db/) that do not fit the method are refused before any SQL. The
// proof is in the server's counters: a statement that fails on the server ends its transaction
// in a rollback, counted in pg_stat_database by the time its backend has left pg_stat_activity
// (a backend reports its counters as it exits, before it leaves). A control call failing on the
// server shows the count moving.
BOOST_AUTO_TEST_CASE(arguments_that_do_not_fit_never_reach_the_server) {
  pgfns::test::service_roles roles{"cliargs"};
  pgfns::test::scratch_database shop{"cli_args"};
  const auto dir = pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db";
  pgfns::upgrade(pgfns::schema::from_db_directory(dir),
                 pgfns::test::options_for(shop, roles.prefix()));
  const std::string url = shop.write_url();  // reads too: the counters are the primary's
  const auto call = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv = {env("PGFNS_CLI"), "call",   "--db",        dir.string(),
                                     "--service",      "orders", "--write-url", url,
                                     "--read-url",     url};
    argv.insert(argv.end(), args.begin(), args.end());
    return pgfns::test::run_process(argv);
  };
  const auto rollbacks = [&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (pgfns::test::query_value(url,
                                    "select count(*) from pg_stat_activity where datname = "
                                    "current_database() and application_name = 'pgfns call'") !=
           "0") {
      BOOST_TEST_REQUIRE((std::chrono::steady_clock::now() < deadline),
                         "a backend of pgfns call is still there after 10 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pgfns::test::query_value(
        url, "select xact_rollback from pg_stat_database where datname = current_database()");
  };
  BOOST_TEST_REQUIRE(call({"get_product", "1"}).exit_code == 0);
  const std::string before = rollbacks();

  const auto extra = call({"get_product", "1", "2"});
  BOOST_TEST(extra.exit_code == 1);
  BOOST_TEST(extra.err ==
             "error: bad_arguments: method \"get_product\" takes 1 argument (product_id_in "
             "integer), given 2 (method get_product)\n");
  const auto named = call({"--named", R"({"product_id_in": 1, "qty_in": 2})", "get_product"});
  BOOST_TEST(named.exit_code == 1);
  BOOST_TEST(named.err.find("error: bad_arguments: method \"get_product\" has no parameter "
                            "\"qty_in\" (its parameters: product_id_in integer)") == 0u,
             named.err);
  const auto missing = call({"list_products_after", "1"});
  BOOST_TEST(missing.exit_code == 1);
  BOOST_TEST(missing.err.find("takes 2 arguments (after_product_id_in integer, limit_in "
                              "integer), given 1") != std::string::npos,
             missing.err);
  const auto typo = call({"get_prodcut", "1"});
  BOOST_TEST(typo.exit_code == 1);
  BOOST_TEST(typo.err ==
             "error: unknown_method: no method \"get_prodcut\" in the schema (version 4); did you "
             "mean \"get_product\"? (method get_prodcut)\n");
  for (const auto* r : {&extra, &named, &missing, &typo})
    BOOST_TEST(r->err.find("42883") == std::string::npos, r->err);
  BOOST_TEST(rollbacks() == before, "a refused call reached the server");

  const auto control = call({"get_product", "not a number"});
  BOOST_TEST(control.err.find("error: 22P02: ") == 0u, control.err);
  BOOST_TEST(std::stoll(rollbacks()) == std::stoll(before) + 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cli_call_replicas)

namespace {

// Polls `sql` (one value) on `url` until it returns `expected`, for up to 10 s.
void wait_for_value(const std::string& url, const std::string& sql, const std::string& expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      last = pgfns::test::query_value(url, sql);
      if (last == expected) return;
    } catch (const std::exception& e) {
      last = e.what();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  BOOST_FAIL("'" << sql << "' on " << url << " is '" << last << "', not '" << expected
                 << "', after 10 s");
}

// What --verbose prints for a call of `method` served by `pool` on the server at `url`
// (postgresql://postgres@127.0.0.1:PORT/postgres): "127.0.0.1:PORT/postgres".
std::string served_line(const std::string& method, const std::string& pool,
                        const std::string& url) {
  return "served: method " + method + ", " + pool + " pool, server " +
         url.substr(url.find('@') + 1) + "\n";
}

}  // namespace

// The issue's case: a primary with two streaming standbys and the shop schema (db/); a write
// while standby S1's replay is paused, then 2 s. With --max-replica-lag 1 a read through S1
// returns the new value because the write server serves it (S1 is too stale); without a bound
// S1 serves it, stale; a fresh standby S2 keeps serving reads (alone, or listed after S1); and
// S1 serves them again once its replay resumes.
BOOST_AUTO_TEST_CASE(a_stale_standby_is_skipped_and_a_fresh_one_used) {
  pgfns::test::private_cluster cluster({.standbys = 2});
  const std::string primary = cluster.primary_url();
  const std::string s1 = cluster.standby_url();
  const std::string s2 = cluster.standby2_url();
  const auto dir = pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db";
  pgfns::upgrade_options uo;
  uo.admin_url = primary;
  uo.prefix = "clireplicas";  // the cluster is this test's own: no other test has its roles
  uo.create_users = true;
  pgfns::upgrade(pgfns::schema::from_db_directory(dir), uo);

  // `pgfns call --db db --service catalog --write-url PRIMARY [--read-url R]... ARGS...`
  const auto call = [&](const std::vector<std::string>& read_urls,
                        const std::vector<std::string>& args) {
    std::vector<std::string> argv = {env("PGFNS_CLI"), "call",    "--db",        dir.string(),
                                     "--service",      "catalog", "--write-url", primary};
    for (const auto& r : read_urls) {
      argv.push_back("--read-url");
      argv.push_back(r);
    }
    argv.insert(argv.end(), args.begin(), args.end());
    return pgfns::test::run_process(argv);
  };

  const auto created =
      call({}, {"create_product", "sku-lag", "Lagging widget", "", "9.5", "5", "{}", "[]"});
  BOOST_TEST_REQUIRE(created.exit_code == 0, created.err);
  const auto id_at = created.out.find("\"product_id\":") + 13;
  const std::string id = created.out.substr(id_at, created.out.find(',', id_at) - id_at);
  const std::string stock_sql =
      "select coalesce((select stock::text from products where product_id = " + id + "), '')";
  for (const auto* url : {&s1, &s2}) wait_for_value(*url, stock_sql, "5");

  cluster.pause_replay("standby");
  const auto written = call({}, {"set_stock", id, "99"});
  BOOST_TEST_REQUIRE(written.exit_code == 0, written.err);
  std::this_thread::sleep_for(std::chrono::seconds(2));
  BOOST_TEST_REQUIRE(pgfns::test::query_value(s1, stock_sql) == "5", "S1 is not paused");

  const auto get = [&](const std::vector<std::string>& read_urls, const std::string& lag) {
    return call(read_urls, {"--max-replica-lag", lag, "--verbose", "get_product", id});
  };
  const auto has_stock = [](const process_result& r, const std::string& stock) {
    return r.exit_code == 0 && r.out.find("\"stock\":" + stock + ",") != std::string::npos;
  };

  // S1 is too stale for the bound: the write server answers, with the new value.
  const auto stale = get({s1}, "1");
  BOOST_TEST(has_stock(stale, "99"), stale.out << stale.err);
  BOOST_TEST(stale.err == served_line("get_product", "write", primary));
  // 0 is no bound: S1 answers, with the old value (so it is the bound that decided).
  const auto unbounded = get({s1}, "0");
  BOOST_TEST(has_stock(unbounded, "5"), unbounded.out << unbounded.err);
  BOOST_TEST(unbounded.err == served_line("get_product", "read", s1));
  // A fresh standby still serves reads, also when listed after the stale one.
  for (const auto& urls : {std::vector<std::string>{s2}, std::vector<std::string>{s1, s2}}) {
    const auto fresh = get(urls, "1");
    BOOST_TEST(has_stock(fresh, "99"), fresh.out << fresh.err);
    BOOST_TEST(fresh.err == served_line("get_product", "read", s2));
  }

  // Once S1 has replayed the write, it serves reads again.
  cluster.resume_replay("standby");
  wait_for_value(s1, stock_sql, "99");
  const auto resumed = get({s1}, "1");
  BOOST_TEST(has_stock(resumed, "99"), resumed.out << resumed.err);
  BOOST_TEST(resumed.err == served_line("get_product", "read", s1));

  // Without the primary, a read method still works through the standbys (the lag bound is not
  // applied: nothing can be measured against a primary that is gone), and a write fails with a
  // clear error naming the write server; once the primary is back, writes work again.
  cluster.stop_node("primary");
  const auto no_primary = get({s1, s2}, "1");
  BOOST_TEST(has_stock(no_primary, "99"), no_primary.out << no_primary.err);
  BOOST_TEST(no_primary.err.find(", read pool, server ") != std::string::npos, no_primary.err);
  const auto refused = call({s1, s2}, {"set_stock", id, "7"});
  BOOST_TEST(refused.exit_code == 1);
  BOOST_TEST(
      refused.err.find("error: server_unavailable: the write server cannot be reached") == 0u,
      refused.err);
  BOOST_TEST(refused.err.find(primary.substr(primary.find('@') + 1)) != std::string::npos,
             refused.err);
  cluster.start_node("primary");
  const auto back = call({s1, s2}, {"set_stock", id, "7"});
  BOOST_TEST(back.exit_code == 0, back.err);
}

BOOST_AUTO_TEST_SUITE_END()

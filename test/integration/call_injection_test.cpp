// The injection corpus (test/support/injection_corpus.hpp) against a real server: as argument
// values (positional and named) every storable text comes back byte for byte and the rest is
// refused; as named-argument keys and as method names every text is refused before anything
// reaches a server. Afterwards every table still exists and the canary row is untouched.
//
// "Never reached a server" is proved on the servers themselves: pg_stat_activity shows, for
// each connection of the database under test (found by its application_name), when its state
// last changed and the last statement it ran. Any message a backend processes (Parse, Bind,
// Execute, Sync, Query) changes them, and a new connection adds a row. The snapshots before and
// after the refused calls must be identical; a control call shows that they do change when a
// call reaches the server.
#include <pgfns/database.hpp>

#include "core_db.hpp"
#include "injection_corpus.hpp"

#include <boost/json/object.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
using pgfns::test::core_database;
using pgfns::test::injection_corpus;
using pgfns::test::run_with_database;
using pgfns::test::text_row;

namespace {

constexpr const char* probe_name = "pgfns_injection_probe";

struct injection_fixture {
  injection_fixture() {
    db.scratch().exec(
        "create table canary (id integer primary key, note text not null);"
        "insert into canary values (1, 'untouched');");
    db.scratch().wait_for_standby();
  }

  // One connection per pool, named so the snapshots find exactly the pools' backends.
  pgfns::database_options options() const {
    auto o = db.options();
    o.read_pool_size = o.write_pool_size = 1;
    o.application_name = probe_name;
    return o;
  }

  // The pools' backends on both servers: pid, state, when it last changed, last statement.
  std::vector<text_row> activity() const {
    const std::string sql =
        "select pid::text, state, state_change::text, query_start::text, query "
        "from pg_stat_activity where datname = current_database() and application_name = '" +
        std::string(probe_name) + "' order by pid";
    auto rows = pgfns::test::query(db.scratch().write_url(), sql);
    if (db.scratch().read_url() != db.scratch().write_url()) {
      auto standby = pgfns::test::query(db.scratch().read_url(), sql);
      rows.insert(rows.end(), standby.begin(), standby.end());
    }
    return rows;
  }

  // Every table is still there and the canary row is as it was.
  void check_nothing_executed(std::int64_t items) const {
    const auto url = db.scratch().write_url();
    BOOST_TEST(pgfns::test::query_value(url, "select note from canary where id = 1") ==
               "untouched");
    BOOST_TEST(pgfns::test::query_value(url, "select count(*) from canary") == "1");
    BOOST_TEST(pgfns::test::query_value(url, "select count(*) from items") ==
               std::to_string(items));
    BOOST_TEST(pgfns::test::query_value(
                   url,
                   "select count(*) from pg_tables where schemaname = 'public' and "
                   "tablename in ('items', 'audit_log', 'canary', 'tcversion')") == "4");
  }

  core_database db{"injection"};
};

// Opens (and uses) the connection of each pool, so that the snapshots can see them.
awaitable<void> touch_both_pools(pgfns::database& d) {
  co_await d.call("count_items");
  co_await d.call("server_info_write");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(call_injection, injection_fixture)

BOOST_AUTO_TEST_CASE(values_come_back_byte_for_byte_or_are_refused) {
  run_with_database(options(), [&](pgfns::database& d) -> awaitable<void> {
    std::int64_t stored = 0;
    std::vector<std::pair<std::int64_t, const std::string*>> stored_ids;
    for (const auto& s : injection_corpus()) {
      for (bool named : {false, true}) {
        boost::system::error_code ec;
        pgfns::result added;
        if (named) {
          const boost::json::object args{{"name_in", s.text}};
          std::tie(ec, added) = co_await d.call("add_item", args, as_tuple);
        } else {
          std::tie(ec, added) = co_await d.call("add_item", s.text, as_tuple);
        }
        if (!s.storable) {
          BOOST_TEST(ec.failed(), s.text);
          continue;
        }
        BOOST_TEST_REQUIRE(!ec.failed(), s.text << ": " << added.diag.message);
        ++stored;
        stored_ids.emplace_back(added[0].at("id").as_int64(), &s.text);
      }
      // The same text as an integer argument: an error, never a statement.
      auto [ec, r] = co_await d.call("get_item", s.text, as_tuple);
      BOOST_TEST(ec.failed(), s.text);
    }
    // Read back through pgfns (the read pool, on the standby) and straight from the primary.
    db.scratch().wait_for_standby();
    for (const auto& [id, text] : stored_ids) {
      const pgfns::result item = co_await d.call("get_item", id);
      BOOST_TEST_REQUIRE(item.size() == 1u);
      BOOST_TEST(item[0].at("name").as_string() == *text);
      const auto row = pgfns::test::query(
          db.scratch().write_url(), "select name from items where id = " + std::to_string(id));
      BOOST_TEST_REQUIRE(row.size() == 1u);
      BOOST_TEST(row[0][0].value() == *text);
    }
    check_nothing_executed(stored);
  });
}

BOOST_AUTO_TEST_CASE(hostile_keys_and_method_names_never_reach_a_server) {
  auto o = options();
  o.probe_interval = std::chrono::hours(1);  // no routing probe in the snapshots' way
  std::size_t unpooled = 0;
  o.monitor.on_call = [&](const pgfns::call_event& e) {
    if (!e.pooled && e.attempts == 0) ++unpooled;
  };
  run_with_database(o, [&](pgfns::database& d) -> awaitable<void> {
    co_await touch_both_pools(d);
    const auto before = activity();
    BOOST_TEST_REQUIRE(before.size() == 2u);  // one connection per pool, on whichever server
    const auto calls_before =
        d.stats(pgfns::pool_role::read).calls + d.stats(pgfns::pool_role::write).calls;
    std::size_t refused = 0;
    for (const auto& s : injection_corpus()) {
      for (const char* method : {"add_item", "get_item", "count_items"}) {
        boost::json::object args;
        args[s.text] = "x";
        auto [ec, r] = co_await d.call(method, args, as_tuple);
        BOOST_TEST(ec == pgfns::errc::bad_arguments, s.text);
        ++refused;
      }
      boost::json::object mixed{{"name_in", "x"}};
      mixed[s.text] = 1;
      auto [ec_mixed, r_mixed] = co_await d.call("add_item", mixed, as_tuple);
      BOOST_TEST(ec_mixed == pgfns::errc::bad_arguments, s.text);
      auto [ec_method, r_method] = co_await d.call(s.text, 1, as_tuple);
      BOOST_TEST(ec_method == pgfns::errc::unknown_method, s.text);
      auto [ec_dep, r_dep] = co_await d.call_deprecated(s.text, as_tuple);
      BOOST_TEST(ec_dep == pgfns::errc::unknown_method, s.text);
      refused += 3;
    }
    BOOST_TEST(unpooled == refused);
    BOOST_TEST(d.stats(pgfns::pool_role::read).calls + d.stats(pgfns::pool_role::write).calls ==
               calls_before);
    BOOST_TEST(activity() == before, "a refused call reached a server");
    // The control: a call that does reach the server shows in the snapshot.
    co_await d.call("count_items");
    BOOST_TEST(activity() != before);
    check_nothing_executed(0);
  });
}

// Calls whose arguments do not fit the method's parameters, and misspelt method names, are
// refused before any SQL: the snapshots do not change (until the control call).
BOOST_AUTO_TEST_CASE(arguments_that_do_not_fit_never_reach_a_server) {
  run_with_database(options(), [&](pgfns::database& d) -> awaitable<void> {
    co_await touch_both_pools(d);
    const auto before = activity();
    BOOST_TEST_REQUIRE(before.size() == 2u);
    const auto refused = [&](std::string_view method, const boost::json::value& args,
                             pgfns::errc expected, std::string_view phrase) -> awaitable<void> {
      boost::system::error_code ec;
      pgfns::result r;
      if (args.is_object()) {
        std::tie(ec, r) = co_await d.call(method, args.get_object(), as_tuple);
      } else {
        std::tie(ec, r) = co_await d.call(method, args.get_array(), as_tuple);
      }
      BOOST_TEST(ec == expected, method << " " << args);
      BOOST_TEST(r.diag.message.find(phrase) != std::string::npos, r.diag.message);
    };
    using pgfns::errc;
    // Named locals: GCC 12 cannot compile a braced temporary inside a co_await expression.
    const boost::json::array none, one{1}, two{1, 2}, three{1, 2, 3};
    const boost::json::object unknown_key{{"a_in", 1}, {"c_in", 2}}, missing_key{{"a_in", 1}},
        extra_key{{"name_in", "x"}};
    co_await refused("get_item", none, errc::bad_arguments, "takes 1 argument (id_in integer)");
    co_await refused("get_item", two, errc::bad_arguments, "given 2");
    co_await refused("add_item", three, errc::bad_arguments, "given 3");
    co_await refused("count_items", one, errc::bad_arguments, "takes no arguments, given 1");
    co_await refused("sum_two", one, errc::bad_arguments, "takes 2 arguments");
    co_await refused("sum_two", unknown_key, errc::bad_arguments, "has no parameter \"c_in\"");
    co_await refused("sum_two", missing_key, errc::bad_arguments, "needs named argument b_in");
    co_await refused("count_items", extra_key, errc::bad_arguments, "has no parameter \"name_in\"");
    co_await refused("get_iten", one, errc::unknown_method, "did you mean \"get_item\"?");
    BOOST_TEST(activity() == before, "a refused call reached a server");
    co_await d.call("get_item", 1);
    BOOST_TEST(activity() != before);
    check_nothing_executed(0);
  });
}

BOOST_AUTO_TEST_SUITE_END()

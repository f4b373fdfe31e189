// Typed calls refused before any SQL is sent (bindings that do not match the schema, unknown
// methods, the service rules of database::call, arguments that cannot be written), and results
// that are not the shape the bindings expect. Hand-written bindings of the core-db fixture,
// some of them deliberately wrong.
#include <pgfns/database.hpp>
#include <pgfns/typed_call.hpp>

#include "core_bindings.hpp"
#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
using pgfns::test::core_database;
using pgfns::test::run_with_database;
namespace shop = core_typed::shop;

namespace wrong {

// get_item's columns under other names.
struct renamed_row {
  std::optional<std::int32_t> id;
  std::optional<std::string> title;
};
// echo_text's column read as an integer.
struct text_as_int_row {
  std::optional<std::int32_t> v;
};

// Bindings as if generated from another schema than the one the database loads.
inline constexpr pgfns::method_binding get_item_bigint{"get_item", "id_in bigint",
                                                       "table (id integer, name text)", false};
inline constexpr pgfns::method_binding get_item_returns{"get_item", "id_in integer",
                                                        "table (id integer, title text)", false};
inline constexpr pgfns::method_binding no_such_method{"no_such_method", "", "void", false};
inline constexpr pgfns::method_binding old_get_item{"old_get_item", "id_in integer",
                                                    "table (id integer, name text)", false};
// Never generated for service shop: another service's write method.
inline constexpr pgfns::method_binding audit_note{"audit_note", "note_in text", "void", false};

}  // namespace wrong

template <>
struct pgfns::row_traits<wrong::renamed_row> {
  static constexpr std::array<std::string_view, 2> columns{"id", "title"};
  static void read(const pgfns::row_reader& r, int row, wrong::renamed_row& out) {
    r.read(row, 0, out.id);
    r.read(row, 1, out.title);
  }
};
template <>
struct pgfns::row_traits<wrong::text_as_int_row> {
  static constexpr std::array<std::string_view, 1> columns{"v"};
  static void read(const pgfns::row_reader& r, int row, wrong::text_as_int_row& out) {
    r.read(row, 0, out.v);
  }
};

namespace {

using items = pgfns::table_of<shop::get_item_row>;
using id_arg = std::optional<std::int32_t>;
using text_arg = std::optional<std::string>;

struct refusals_fixture {
  core_database db{"typed_refusals"};

  std::string items_on_primary() const {
    return pgfns::test::query_value(db.scratch().write_url(), "select count(*) from items");
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(typed_call_refusals, refusals_fixture)

BOOST_AUTO_TEST_CASE(refused_calls_never_reach_a_pool) {
  auto o = db.options();
  int unsent = 0, sent = 0;
  o.monitor.on_call = [&](const pgfns::call_event& e) {
    (!e.pooled && e.attempts == 0 ? unsent : sent) += 1;
  };
  run_with_database(o, [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::call_options none;
    int refused = 0;
    auto check = [&](boost::system::error_code ec, const pgfns::diagnostics& diag,
                     pgfns::errc expected, const std::string& message) {
      ++refused;
      BOOST_TEST(ec == expected, pgfns::format_error(ec, diag));
      BOOST_TEST(diag.message == message);
      BOOST_TEST(diag.pool.empty());
      BOOST_TEST(diag.sqlstate.empty());
    };
    {
      auto [ec, r] =
          co_await pgfns::typed_call<items>(d, wrong::get_item_bigint, none, as_tuple, id_arg(1));
      check(ec, r.diag, pgfns::errc::binding_mismatch,
            "method get_item: the bindings were generated for args \"id_in bigint\" returns "
            "\"table (id integer, name text)\", but the schema loaded has args \"id_in integer\" "
            "returns \"table (id integer, name text)\": regenerate them with pgfns generate");
      BOOST_TEST(r.diag.method == "get_item");
    }
    {
      auto [ec, r] = co_await pgfns::typed_call<pgfns::table_of<wrong::renamed_row>>(
          d, wrong::get_item_returns, none, as_tuple, id_arg(1));
      check(ec, r.diag, pgfns::errc::binding_mismatch,
            "method get_item: the bindings were generated for args \"id_in integer\" returns "
            "\"table (id integer, title text)\", but the schema loaded has args \"id_in "
            "integer\" returns \"table (id integer, name text)\": regenerate them with pgfns "
            "generate");
    }
    {
      auto [ec, r] =
          co_await pgfns::typed_call<pgfns::void_result>(d, wrong::no_such_method, none, as_tuple);
      check(ec, r.diag, pgfns::errc::unknown_method,
            "no method \"no_such_method\" in the schema (version 2)");
      BOOST_TEST(r.diag.method == "no_such_method");
    }
    {
      auto [ec, r] = co_await pgfns::typed_call<pgfns::void_result>(d, wrong::audit_note, none,
                                                                    as_tuple, text_arg("x"));
      check(ec, r.diag, pgfns::errc::wrong_service,
            "method \"audit_note\" is a write method of service \"audit\"; service \"shop\" may "
            "not call it");
    }
    {
      auto [ec, r] =
          co_await pgfns::typed_call<items>(d, wrong::old_get_item, none, as_tuple, id_arg(1));
      check(ec, r.diag, pgfns::errc::deprecated_method,
            "method \"old_get_item\" is deprecated; regenerate the bindings and call it through "
            "their deprecated namespace");
    }
    {
      auto [ec, r] = co_await shop::add_item(d, std::string("a\0b", 3), as_tuple);
      check(ec, r.diag, pgfns::errc::bad_arguments,
            "argument 1 (name_in): a text with a NUL byte (at byte 2), which PostgreSQL text "
            "cannot hold; not sent");
    }
    {
      auto [ec, r] = co_await shop::fail_with(d, "P0001", std::string("\0", 1), as_tuple);
      check(ec, r.diag, pgfns::errc::bad_arguments,
            "argument 2 (message_in): a text with a NUL byte (at byte 1), which PostgreSQL text "
            "cannot hold; not sent");
    }
    // Without a token: pgfns::error with the diagnostics.
    try {
      co_await pgfns::typed_call<items>(d, wrong::get_item_bigint, none, pgfns::no_token_t(),
                                        id_arg(1));
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      ++refused;
      BOOST_TEST(e.code() == pgfns::errc::binding_mismatch);
      BOOST_TEST(e.diag().method == "get_item");
    }
    BOOST_TEST(unsent == refused);
    BOOST_TEST(sent == 0);
    BOOST_TEST(d.stats(pgfns::pool_role::read).calls + d.stats(pgfns::pool_role::write).calls ==
               0u);
    // The control: a call that runs is counted as sent, once.
    const std::vector<shop::add_item_row> added = co_await shop::add_item(d, "control");
    BOOST_TEST(added.size() == 1u);
    BOOST_TEST(sent == 1);
  });
  BOOST_TEST(items_on_primary() == "1");  // the control alone
}

BOOST_AUTO_TEST_CASE(deprecated_methods_through_deprecated_bindings_and_other_services_reads) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const std::vector<shop::get_item_row> none = co_await shop::deprecated::old_get_item(d, 1);
    BOOST_TEST(none.empty());
    const std::optional<std::int32_t> notes = co_await shop::audit_count(d);
    BOOST_TEST((notes == 0));
  });
}

BOOST_AUTO_TEST_CASE(a_database_not_started_or_closed_refuses_typed_calls) {
  boost::asio::io_context ioc;
  auto work = boost::asio::make_work_guard(ioc);  // run_one() waits for the next handler
  pgfns::database d(ioc.get_executor(), db.options());
  std::optional<boost::system::error_code> before, after;
  shop::sum_two(d, 1, 2, [&](boost::system::error_code ec, auto) { before = ec; });
  while (!before) ioc.run_one();
  BOOST_TEST(*before == pgfns::errc::not_started);
  bool started = false;
  d.async_start([&](boost::system::error_code ec, const pgfns::diagnostics& diag) {
    BOOST_TEST(!ec, diag.message);
    started = true;
  });
  while (!started) ioc.run_one();
  d.close();
  shop::sum_two(d, 1, 2, [&](boost::system::error_code ec, auto) { after = ec; });
  while (!after) ioc.run_one();
  BOOST_TEST(*after == pgfns::errc::shut_down);
}

BOOST_AUTO_TEST_CASE(results_not_of_the_bindings_shape_are_protocol_errors) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::call_options none;
    {
      auto [ec, r] = co_await pgfns::typed_call<pgfns::table_of<wrong::renamed_row>>(
          d, shop::bindings::get_item, none, as_tuple, id_arg(1));
      BOOST_TEST(ec == pgfns::errc::protocol_error, pgfns::format_error(ec, r.diag));
      BOOST_TEST(r.diag.message ==
                 "reading the result: the result has columns (id, name) but the bindings expect "
                 "(id, title): regenerate the bindings");
      BOOST_TEST(r.diag.pool == "read");
    }
    {
      auto [ec, r] = co_await pgfns::typed_call<pgfns::table_of<wrong::text_as_int_row>>(
          d, shop::bindings::echo_text, none, as_tuple, text_arg("abc"));
      BOOST_TEST(ec == pgfns::errc::protocol_error, pgfns::format_error(ec, r.diag));
      BOOST_TEST(r.diag.message ==
                 "reading the result: column \"v\", row 1: not an int32: \"abc\"");
      BOOST_TEST(r.value.empty());
    }
    // The connection serves the next call.
    const std::optional<std::int32_t> sum = co_await shop::sum_two(d, 2, 2);
    BOOST_TEST((sum == 4));
  });
}

BOOST_AUTO_TEST_SUITE_END()

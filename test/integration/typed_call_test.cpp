// Typed calls (pgfns/typed_call.hpp) through hand-written bindings of the core-db fixture: every
// token form, NULLs both ways, each result shape, the server's errors, cancellation and
// deadlines, all as database::call has them. Refusals: typed_call_refusals_test.
#include <pgfns/database.hpp>
#include <pgfns/typed_call.hpp>

#include "call_outcome.hpp"
#include "core_bindings.hpp"
#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
using pgfns::test::call_outcome;
using pgfns::test::core_database;
using pgfns::test::run_with_database;
using pgfns::test::sleep_for;
using pgfns::test::wait_for;
using namespace std::chrono_literals;
namespace shop = core_typed::shop;

namespace {

struct typed_fixture {
  core_database db{"typed"};
};

using count_result = pgfns::typed_result<std::optional<std::int32_t>>;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(typed_call, typed_fixture)

BOOST_AUTO_TEST_CASE(awaited_without_a_token_calls_return_their_values) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const std::vector<shop::add_item_row> added = co_await shop::add_item(d, "typed widget");
    BOOST_TEST_REQUIRE(added.size() == 1u);
    BOOST_TEST_REQUIRE(added[0].id.has_value());
    pgfns::call_options primary;
    primary.primary = true;  // the write just made, without waiting for the standby
    const std::vector<shop::get_item_row> items = co_await shop::get_item(d, primary, added[0].id);
    BOOST_TEST_REQUIRE(items.size() == 1u);
    BOOST_TEST((items[0].id == added[0].id));
    BOOST_TEST((items[0].name == std::string("typed widget")));
    const std::vector<shop::get_item_row> none = co_await shop::get_item(d, primary, -1);
    BOOST_TEST(none.empty());
    const std::optional<std::int32_t> sum = co_await shop::sum_two(d, 20, 22);
    BOOST_TEST((sum == 42));
    const std::optional<std::int32_t> count = co_await shop::count_items(d, primary);
    BOOST_TEST((count == 1));
  });
}

BOOST_AUTO_TEST_CASE(values_of_each_scalar_type_come_back_as_they_went) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    for (std::int16_t v : {std::numeric_limits<std::int16_t>::min(), std::int16_t{0},
                           std::numeric_limits<std::int16_t>::max()}) {
      const auto rows = co_await shop::echo_int2(d, v);
      BOOST_TEST_REQUIRE(rows.size() == 1u);
      BOOST_TEST((rows[0].v == v));
    }
    for (std::int64_t v : {std::numeric_limits<std::int64_t>::min(), std::int64_t{-1},
                           std::numeric_limits<std::int64_t>::max()}) {
      const auto rows = co_await shop::echo_int8(d, v);
      BOOST_TEST((rows.at(0).v == v));
    }
    for (bool v : {true, false}) {
      const auto rows = co_await shop::echo_bool(d, v);
      BOOST_TEST((rows.at(0).v == v));
    }
    for (std::string v : {std::string(), std::string("NULL"), std::string("a \"b\" \\ {c}, d"),
                          std::string("ünïcødé ✓"), std::string(5000, 'x')}) {
      const auto rows = co_await shop::echo_text(d, v);
      BOOST_TEST((rows.at(0).v == v));
    }
  });
}

BOOST_AUTO_TEST_CASE(null_arguments_are_sent_and_null_columns_read_as_nullopt) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const std::optional<std::int32_t> no_int;
    const auto rows = co_await shop::echo_int4(d, no_int);
    BOOST_TEST_REQUIRE(rows.size() == 1u);
    BOOST_TEST(!rows[0].v.has_value());
    const auto text = co_await shop::echo_text(d, std::optional<std::string>());
    BOOST_TEST(!text.at(0).v.has_value());
    const std::optional<std::int32_t> sum = co_await shop::sum_two(d, 1, no_int);
    BOOST_TEST(!sum.has_value());  // 1 + NULL: a scalar NULL
  });
}

BOOST_AUTO_TEST_CASE(void_and_setof_methods) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    co_await shop::add_item_quietly(d, "quiet");
    pgfns::call_options primary;
    primary.primary = true;
    const std::optional<std::int32_t> count = co_await shop::count_items(d, primary);
    BOOST_TEST((count == 1));
    const std::vector<std::optional<std::int32_t>> three = co_await shop::numbers_set(d, 3);
    BOOST_TEST_REQUIRE(three.size() == 3u);
    BOOST_TEST((three[0] == 1 && three[1] == 2 && three[2] == 3));
    const auto none = co_await shop::numbers_set(d, 0);
    BOOST_TEST(none.empty());
  });
}

BOOST_AUTO_TEST_CASE(an_awaited_call_throws_pgfns_error_with_the_servers_diagnostics) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    try {
      co_await shop::fail_with(d, "22023", "bad widget");
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::make_sqlstate_error("22023"));
      BOOST_TEST(e.diag().sqlstate == "22023");
      BOOST_TEST(e.diag().message == "bad widget");
      BOOST_TEST(e.diag().detail == "some detail");
      BOOST_TEST(e.diag().hint == "some hint");
      BOOST_TEST(e.diag().method == "fail_with");
      BOOST_TEST(e.diag().pool == "read");
    }
    // The connection serves the next call.
    const std::optional<std::int32_t> sum = co_await shop::sum_two(d, 2, 3);
    BOOST_TEST((sum == 5));
  });
}

BOOST_AUTO_TEST_CASE(callbacks_get_the_value_and_the_diagnostics) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    call_outcome<count_result> sum;
    shop::sum_two(d, 20, 22, sum.handler());
    call_outcome<pgfns::typed_result<void>> quiet;
    shop::add_item_quietly(d, "by callback", quiet.handler());
    call_outcome<pgfns::typed_result<void>> failed;
    shop::fail_with(d, "P0001", "no luck", failed.handler());
    co_await wait_for(sum);
    co_await wait_for(quiet);
    co_await wait_for(failed);
    BOOST_TEST(!*sum.ec);
    BOOST_TEST((sum.r.value == 42));
    BOOST_TEST(sum.r.diag.method == "sum_two");
    BOOST_TEST(sum.r.diag.pool == "read");
    BOOST_TEST(!sum.r.diag.server.empty());
    BOOST_TEST(!*quiet.ec, quiet.r.diag.message);
    BOOST_TEST(quiet.r.diag.pool == "write");
    BOOST_TEST(*failed.ec == pgfns::make_sqlstate_error("P0001"));
    BOOST_TEST(failed.r.diag.message == "no luck");
  });
}

BOOST_AUTO_TEST_CASE(as_tuple_deferred_gives_the_code_and_the_result) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    auto [ec, r] = co_await shop::numbers_set(d, 2, as_tuple);
    BOOST_TEST(!ec);
    BOOST_TEST(r.value.size() == 2u);
    BOOST_TEST(r.diag.method == "numbers_set");
    auto [ec_fail, r_fail] = co_await shop::fail_with(d, "23505", "taken", as_tuple);
    BOOST_TEST(ec_fail == pgfns::make_sqlstate_error("23505"));
    BOOST_TEST(r_fail.diag.sqlstate == "23505");
    BOOST_TEST(r_fail.diag.detail == "some detail");
  });
}

BOOST_AUTO_TEST_CASE(deferred_throws_pgfns_error_with_the_diagnostics) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const count_result ok = co_await shop::sum_two(d, 1, 2, boost::asio::deferred);
    BOOST_TEST((ok.value == 3));
    BOOST_TEST(ok.diag.method == "sum_two");
    try {
      co_await shop::fail_with(d, "22012", "divided", boost::asio::deferred);
      BOOST_FAIL("no exception");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::make_sqlstate_error("22012"));
      BOOST_TEST(e.diag().message == "divided");
      BOOST_TEST(e.diag().hint == "some hint");
      BOOST_TEST(std::string(e.what()).find("method fail_with") != std::string::npos, e.what());
    }
  });
}

// As database::call's (call_cancel_test): completes at once, the server stops the query, the
// connection serves the next call; the answer that arrives later finds no value to fill.
BOOST_AUTO_TEST_CASE(a_running_typed_read_is_cancelled_and_its_connection_reused) {
  auto options = db.options();
  options.read_pool_size = 1;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    const std::optional<std::int32_t> pid = co_await shop::backend_pid(d);
    boost::asio::cancellation_signal signal;
    call_outcome<count_result> slow;
    const auto started = std::chrono::steady_clock::now();
    shop::sleep_ms(d, 30000, boost::asio::bind_cancellation_slot(signal.slot(), slow.handler()));
    co_await sleep_for(300ms);
    BOOST_TEST(!slow.ec);
    signal.emit(boost::asio::cancellation_type::terminal);
    co_await wait_for(slow);
    BOOST_TEST(*slow.ec == boost::asio::error::operation_aborted);
    BOOST_TEST(slow.r.diag.message == "cancelled while it ran; its answer will be discarded");
    BOOST_TEST(!slow.r.value.has_value());
    BOOST_TEST((std::chrono::steady_clock::now() - started < 10s));
    const std::optional<std::int32_t> again = co_await shop::backend_pid(d);
    BOOST_TEST((again == pid));
    BOOST_TEST(d.stats(pgfns::pool_role::read).total == 1u);
  });
}

// As database::call's (call_timeout_test).
BOOST_AUTO_TEST_CASE(a_typed_read_past_its_deadline_fails_then) {
  auto options = db.options();
  options.call_timeout = 500ms;
  options.read_pool_size = 1;
  run_with_database(options, [&](pgfns::database& d) -> awaitable<void> {
    const std::optional<std::int32_t> pid = co_await shop::backend_pid(d);
    const auto t0 = std::chrono::steady_clock::now();
    auto [ec, r] = co_await shop::sleep_ms(d, 5000, as_tuple);
    const auto took = std::chrono::steady_clock::now() - t0;
    BOOST_TEST(ec == pgfns::errc::call_timeout, pgfns::format_error(ec, r.diag));
    BOOST_TEST((took >= 500ms && took < 4s));
    BOOST_TEST(r.diag.message.find("deadline passed (call_timeout 500 ms)") != std::string::npos,
               r.diag.message);
    BOOST_TEST(r.diag.pool == "read");
    BOOST_TEST(!r.value.has_value());
    const std::optional<std::int32_t> again = co_await shop::backend_pid(d);
    BOOST_TEST((again == pid));
  });
}

BOOST_AUTO_TEST_SUITE_END()

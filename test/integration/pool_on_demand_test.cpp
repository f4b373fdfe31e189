// The connection attempts the write pool makes for calls while its server cannot be reached,
// with a TCP gate (tcp_gate.hpp) between the pool and the real primary that forwards, refuses
// or holds connections as the test says: a call fails only with an attempt begun after it
// came, never with one already under way when it came (begun, maybe, before the server was
// back); and a call made right after a refused attempt waits for the next attempt instead of
// failing at once. The order of events is set through the gate and checked through the pool's
// counts; where the clock matters (on_demand_gap), the test measures instead of assuming.
#include <pgfns/database.hpp>
#include <pgfns/error.hpp>

#include "call_outcome.hpp"
#include "client/pq/pool.hpp"  // on_demand_gap
#include "core_db.hpp"
#include "role_urls.hpp"
#include "tcp_gate.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::pool_role;
using pgfns::test::call_outcome;
using pgfns::test::tcp_gate;
using pgfns::test::wait_until;
using gate_mode = pgfns::test::tcp_gate::mode;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

namespace {

// How long the test waits for an event (a busy machine's worst, many times over).
constexpr std::chrono::milliseconds patience = 60s;

struct gate_fixture {
  pgfns::test::core_database db{"gate"};
  pgfns::test::server_address primary = pgfns::test::address_of(db.scratch().write_url());

  // The write pool goes through `gate`. Calls wait for connection attempts, never for a
  // timeout, and an attempt held at the gate ends only when the gate fails it.
  pgfns::database_options options(const tcp_gate& gate) const {
    auto o = db.options();
    o.write_url = gate.url_through(o.write_url);
    o.acquire_timeout = 120s;
    o.call_timeout = 120s;
    o.connect_timeout = 120s;
    return o;
  }

  // Runs `body` with a gate in forward mode and a database started through it.
  void run(std::function<awaitable<void>(tcp_gate&, pgfns::database&)> body) {
    pgfns::test::run_coroutine(
        [&](io_context& ioc) -> awaitable<void> {
          tcp_gate gate(ioc.get_executor(), primary);
          pgfns::database d(ioc.get_executor(), options(gate));
          co_await d.async_start();
          const pgfns::result first = co_await d.call("add_item", "through the gate");
          BOOST_TEST(first.diag.pool == "write");
          BOOST_TEST_REQUIRE(gate.accepted() >= 1u, "the write pool does not use the gate");
          co_await body(gate, d);
        },
        300s);
  }
};

// The gate drops the write pool's connections and refuses new ones, until the pool says its
// server cannot be reached.
awaitable<void> take_down(tcp_gate& gate, pgfns::database& d) {
  gate.set_mode(gate_mode::refuse);
  const bool down =
      co_await wait_until([&] { return !d.stats(pool_role::write).available; }, patience);
  BOOST_TEST_REQUIRE(down, "the write pool still says it is available");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pool_on_demand, gate_fixture)

// A comes while the server is down, with no attempt under way and none ended within
// on_demand_gap: the pool begins one for A at once, and the gate holds it. B comes while it is
// under way. Then the gate fails the held attempt and forwards the next ones. A fails with its
// attempt; B, which came after that attempt began, gets one of its own and succeeds.
BOOST_AUTO_TEST_CASE(a_call_fails_only_with_an_attempt_begun_after_it_came) {
  run([&](tcp_gate& gate, pgfns::database& d) -> awaitable<void> {
    co_await take_down(gate, d);
    gate.set_mode(gate_mode::hold);
    call_outcome<> a, b;
    // The attempts the pool begins by itself are failed at the gate. An attempt held there ends
    // only when the gate fails it, so a check that finds none under way knows that every
    // failure is behind it; A comes in the handler of a check that finds none under way for
    // on_demand_gap since such a check.
    std::optional<steady_clock::time_point> quiet_since;
    const bool a_came = co_await wait_until(
        [&] {
          gate.fail_held();
          if (d.stats(pool_role::write).connecting > 0) {
            quiet_since.reset();
            return false;
          }
          const auto now = steady_clock::now();
          if (!quiet_since) quiet_since = now;
          if (now - *quiet_since < pgfns::detail::on_demand_gap) return false;
          d.call("add_item", "a", a.handler());
          return true;
        },
        patience);
    BOOST_TEST_REQUIRE(a_came, "the pool's connection attempts never ended");
    BOOST_TEST_REQUIRE(d.stats(pool_role::write).connecting == 1u, "no attempt began for A");
    const bool held = co_await wait_until([&] { return gate.held() > 0 || a.ec; }, patience);
    BOOST_TEST_REQUIRE(held, "A's attempt did not reach the gate");
    BOOST_TEST_REQUIRE(!a.ec, "A ended before its attempt did: " << a.text());
    BOOST_TEST(d.stats(pool_role::write).connecting == 1u);

    d.call("add_item", "b", b.handler());  // while A's attempt is under way
    BOOST_TEST(d.stats(pool_role::write).waiting == 2u);
    gate.set_mode(gate_mode::forward);  // in the same handler: the next attempt gets through
    gate.fail_held();
    co_await wait_for(a);
    co_await wait_for(b);

    BOOST_TEST((*a.ec == pgfns::errc::server_unavailable), a.text());
    BOOST_TEST(a.r.diag.message.find("the write server cannot be reached") == 0u, a.text());
    BOOST_TEST(a.r.diag.message.find("it was not sent") != std::string::npos, a.text());
    BOOST_TEST(!*b.ec, b.text());
    BOOST_TEST(b.r.diag.pool == "write");
    BOOST_TEST(d.stats(pool_role::write).available);
  });
}

// After a refused attempt, the pool begins none for its callers before on_demand_gap has
// passed. A call that comes in that time waits for the next attempt (it used to fail at once),
// and succeeds when the gate forwards it.
//
// Whether the call came within on_demand_gap of the failure is checked, not assumed: it is
// started from the completion of a call whose attempt was refused, when no attempt is under
// way (so that every connection the gate refused belongs to an attempt that has failed, at
// or after the gate's last refusal); it came within the gap when that refusal is less than
// on_demand_gap before the call was made. Rounds are repeated until one is (on a machine too
// slow for any, the test says so and checks what it can: the call succeeds).
BOOST_AUTO_TEST_CASE(a_call_right_after_a_refused_attempt_waits_for_the_next_one) {
  run([&](tcp_gate& gate, pgfns::database& d) -> awaitable<void> {
    int within_gap = 0;
    for (int round = 0; round < 20 && within_gap == 0; ++round) {
      co_await take_down(gate, d);
      call_outcome<> refused, next;
      bool next_started = false;
      d.call("add_item", "refused", [&](boost::system::error_code ec, pgfns::result r) {
        refused.handler()(ec, std::move(r));
        if (d.stats(pool_role::write).connecting > 0) return;  // not this round
        gate.set_mode(gate_mode::forward);
        d.call("add_item", "right after", next.handler());
        next_started = true;
        const auto since = steady_clock::now() - gate.last_refusal();
        if (since < pgfns::detail::on_demand_gap) ++within_gap;
      });
      co_await wait_for(refused);
      BOOST_TEST((*refused.ec == pgfns::errc::server_unavailable), refused.text());
      if (!next_started) continue;
      co_await wait_for(next);
      BOOST_TEST(!*next.ec, "round " << round << ": " << next.text());
      BOOST_TEST(next.r.diag.pool == "write");
      if (within_gap > 0) BOOST_TEST_MESSAGE("a call came within on_demand_gap in round " << round);
    }
    BOOST_WARN_MESSAGE(within_gap > 0,
                       "no call came within on_demand_gap of a refused attempt in 20 rounds: "
                       "this machine was too slow for the case this test is about");
  });
}

BOOST_AUTO_TEST_SUITE_END()

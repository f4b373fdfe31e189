// The choice of server for a read, one rule at a time: health, role, version, lag, the caller's
// own writes, load, and the fallback to the primary.
#include "client/routing/read_choice.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace std::chrono_literals;
using pgfns::detail::choose_read;
using pgfns::detail::lsn;
using pgfns::detail::may_catch_up;
using pgfns::detail::primary_history;
using pgfns::detail::read_choice;
using pgfns::detail::read_request;
using pgfns::detail::routing_view;
using pgfns::detail::server_role;
using pgfns::detail::server_state;
using pgfns::detail::skip_reason;
using target = read_choice::target;

namespace {

const primary_history::clock::time_point t0{1000s};

server_state fresh_standby(std::uint64_t position = 100, int version = 4) {
  server_state s;
  s.role = server_role::standby;
  s.version = version;
  s.position = lsn{position};
  s.sampled_at = t0;
  return s;
}

// The primary at 100 since t0, sampled every 500 ms until t0 + 2 s; now is t0 + 2 s.
struct fixture {
  primary_history primary{30s};
  std::vector<server_state> standbys{fresh_standby(), fresh_standby()};
  read_request request;
  fixture() {
    for (int i = 0; i <= 4; ++i) primary.add(t0 + i * 500ms, lsn{100});
    request.method_version = 4;
    request.max_lag = 1s;
  }
  routing_view view(bool primary_down = false) const {
    return {standbys, primary, primary_down, t0 + 2s};
  }
  read_choice choose() const { return choose_read(request, view()); }
  std::optional<skip_reason> why(std::size_t i, bool primary_down = false) const {
    return why_skipped(standbys[i], request, view(primary_down));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_fresh_standby_serves_the_read, fixture) {
  BOOST_TEST(!why(0));
  const auto c = choose();
  BOOST_TEST((c.where == target::standby));
  BOOST_TEST(c.standby == 0u);
}

BOOST_FIXTURE_TEST_CASE(the_standby_with_fewest_calls_in_flight_wins, fixture) {
  standbys[0].in_flight = 3;
  standbys[1].in_flight = 1;
  BOOST_TEST(choose().standby == 1u);
  standbys[1].in_flight = 3;  // a tie: the first configured
  BOOST_TEST(choose().standby == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_standby_that_is_down_is_skipped, fixture) {
  standbys[0].down = true;
  standbys[0].in_flight = 0;
  standbys[1].in_flight = 5;
  BOOST_TEST((why(0) == skip_reason::down));
  BOOST_TEST(choose().standby == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_standby_never_probed_is_skipped, fixture) {
  standbys[0] = server_state{};
  BOOST_TEST((why(0) == skip_reason::not_probed));
  standbys[1].version = -1;  // answered nothing about its version
  BOOST_TEST((why(1) == skip_reason::not_probed));
  BOOST_TEST((choose().where == target::primary));
}

BOOST_FIXTURE_TEST_CASE(a_promoted_standby_is_not_a_replica, fixture) {
  standbys[0].role = server_role::primary;
  BOOST_TEST((why(0) == skip_reason::not_standby));
  BOOST_TEST(choose().standby == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_standby_below_the_methods_version_is_skipped, fixture) {
  standbys[0].version = 3;
  BOOST_TEST((why(0) == skip_reason::old_version));
  request.method_version = 3;  // a method its version already has
  BOOST_TEST(!why(0));
  request.method_version = 5;  // added by an upgrade neither standby has replayed
  BOOST_TEST((why(1) == skip_reason::old_version));
  BOOST_TEST((choose().where == target::primary));
}

BOOST_FIXTURE_TEST_CASE(staleness_counts_from_the_last_primary_sample_replayed, fixture) {
  primary.add(t0 + 2500ms, lsn{200});  // a write after t0 + 2 s
  standbys[0].position = lsn{150};
  // It holds what the primary had at t0 + 2 s, not all it had at t0 + 2.5 s.
  BOOST_TEST((*staleness(standbys[0], primary, t0 + 2500ms) == 500ms));
  BOOST_TEST((*staleness(standbys[0], primary, t0 + 2200ms) == 200ms));  // as of now
  // As of the newest sample: no new sample, no more lag measured (a primary that stopped
  // answering commits nothing the standby is known to miss beyond what it was seen to have).
  BOOST_TEST((*staleness(standbys[0], primary, t0 + 3500ms) == 500ms));
  standbys[0].position = lsn{200};
  BOOST_TEST((*staleness(standbys[0], primary, t0 + 2500ms) == 0ms));
  standbys[0].position = lsn{99};  // older than the history
  BOOST_TEST(!staleness(standbys[0], primary, t0 + 2s));
  standbys[0].position.reset();
  BOOST_TEST(!staleness(standbys[0], primary, t0 + 2s));
}

BOOST_FIXTURE_TEST_CASE(a_standby_past_the_lag_bound_is_skipped_until_it_catches_up, fixture) {
  // Replay paused at 100 on standby 0 while the primary moved on at t0 + 500 ms.
  primary_history moving{30s};
  moving.add(t0, lsn{100});
  for (int i = 1; i <= 4; ++i) moving.add(t0 + i * 500ms, lsn{100u + i});
  standbys[1].position = lsn{104};
  routing_view v{standbys, moving, false, t0 + 2s};
  BOOST_TEST((why_skipped(standbys[0], request, v) == skip_reason::too_stale));  // 2 s > 1 s
  BOOST_TEST(!why_skipped(standbys[1], request, v));  // the fresh one is still used
  standbys[0].in_flight = 0;
  standbys[1].in_flight = 9;
  BOOST_TEST(choose_read(request, v).standby == 1u);
  standbys[0].position = lsn{103};  // replay resumed
  BOOST_TEST(!why_skipped(standbys[0], request, v));
  request.max_lag = 0ms;  // no bound
  standbys[0].position = lsn{100};
  BOOST_TEST(!why_skipped(standbys[0], request, v));
}

BOOST_FIXTURE_TEST_CASE(the_lag_bound_is_not_applied_while_the_primary_is_down, fixture) {
  standbys[0].position = lsn{50};  // older than the history
  BOOST_TEST((why(0) == skip_reason::too_stale));
  BOOST_TEST(!why(0, true));
  primary_history none{30s};  // started without the primary: nothing sampled at all
  routing_view v{standbys, none, true, t0};
  BOOST_TEST(!why_skipped(standbys[0], request, v));
}

BOOST_FIXTURE_TEST_CASE(read_your_writes_by_position, fixture) {
  request.after = lsn{150};
  standbys[0].position = lsn{149};
  standbys[1].position = lsn{150};
  primary.add(t0 + 2s, lsn{150});
  BOOST_TEST((why(0) == skip_reason::behind_position));
  BOOST_TEST(!why(1));
  BOOST_TEST(choose().standby == 1u);
  standbys[1].position = lsn{120};
  BOOST_TEST((choose().where == target::primary));
}

BOOST_FIXTURE_TEST_CASE(read_your_writes_by_time_waits_for_a_primary_sample, fixture) {
  // A write completed at t0 + 2.1 s; the next primary sample, at t0 + 2.5 s, is at 180.
  request.written_before = t0 + 2100ms;
  BOOST_TEST((why(0) == skip_reason::behind_position));  // no sample after the write yet
  primary.add(t0 + 2500ms, lsn{180});
  standbys[0].position = lsn{179};
  standbys[1].position = lsn{180};
  BOOST_TEST((why(0) == skip_reason::behind_position));
  BOOST_TEST(!why(1));
}

BOOST_FIXTURE_TEST_CASE(a_standby_keeping_up_is_worth_waiting_for, fixture) {
  // A write completed at t0 + 2.1 s; no primary sample after it yet.
  request.written_before = t0 + 2100ms;
  standbys[0].sampled_at = t0 + 2s;  // had replayed all the primary had at t0 + 2 s
  BOOST_TEST(may_catch_up(standbys[0], request, view(), 1s));
  // One that had not replayed the primary's position of a second before its probe is not.
  primary_history moving{30s};
  for (int i = 0; i <= 4; ++i) moving.add(t0 + i * 500ms, lsn{100u + i});
  routing_view v{standbys, moving, false, t0 + 2s};
  request.max_lag = 0ms;            // so that only the position keeps it from serving
  standbys[0].position = lsn{101};  // moving's position at t0 + 500 ms
  BOOST_TEST(!may_catch_up(standbys[0], request, v, 1s));
  BOOST_TEST(may_catch_up(standbys[0], request, v, 1500ms));
  // Skipped for another reason: waiting would not help.
  standbys[0].down = true;
  BOOST_TEST(!may_catch_up(standbys[0], request, v, 1500ms));
  // Nothing to wait for when it may serve already.
  standbys[1].position = lsn{104};
  request.written_before.reset();
  BOOST_TEST(!may_catch_up(standbys[1], request, v, 1500ms));
}

BOOST_FIXTURE_TEST_CASE(without_fallback_no_standby_means_no_server, fixture) {
  standbys[0].down = true;
  standbys[1].down = true;
  BOOST_TEST((choose().where == target::primary));
  request.fallback = false;
  BOOST_TEST((choose().where == target::none));
}

BOOST_FIXTURE_TEST_CASE(no_read_servers_means_the_primary, fixture) {
  standbys.clear();
  BOOST_TEST((choose().where == target::primary));
}

BOOST_AUTO_TEST_CASE(reasons_have_names) {
  for (auto r : {skip_reason::down, skip_reason::not_probed, skip_reason::not_standby,
                 skip_reason::old_version, skip_reason::too_stale, skip_reason::behind_position})
    BOOST_TEST(to_string(r) != "unknown");
  BOOST_TEST(to_string(server_role::standby) == "standby");
  BOOST_TEST(to_string(server_role::primary) == "primary");
}

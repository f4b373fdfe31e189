// The primary's positions over time: how long ago a replayed position was the primary's, and
// which position a moment's writes lie under.
#include "client/routing/primary_history.hpp"

#include <boost/test/unit_test.hpp>

using namespace std::chrono_literals;
using pgfns::detail::lsn;
using pgfns::detail::primary_history;
using clock_type = primary_history::clock;

namespace {
const clock_type::time_point t0{100s};
}

BOOST_AUTO_TEST_CASE(an_empty_history_covers_nothing) {
  primary_history h(10s);
  BOOST_TEST(h.empty());
  BOOST_TEST(!h.newest());
  BOOST_TEST(!h.covered_until(lsn{~0ull}));
  BOOST_TEST(!h.position_after(t0));
}

BOOST_AUTO_TEST_CASE(covered_until_is_the_latest_sample_at_or_below_the_position) {
  primary_history h(10s);
  h.add(t0, lsn{100});
  h.add(t0 + 500ms, lsn{200});
  h.add(t0 + 1s, lsn{300});
  BOOST_TEST((*h.covered_until(lsn{300}) == t0 + 1s));  // has all: the newest sample
  BOOST_TEST((*h.covered_until(lsn{1000}) == t0 + 1s));
  BOOST_TEST((*h.covered_until(lsn{299}) == t0 + 500ms));  // one byte short of the newest
  BOOST_TEST((*h.covered_until(lsn{200}) == t0 + 500ms));
  BOOST_TEST((*h.covered_until(lsn{100}) == t0));
  BOOST_TEST(!h.covered_until(lsn{99}));  // older than the history
}

BOOST_AUTO_TEST_CASE(an_idle_primary_keeps_its_position_and_a_standby_stays_current) {
  primary_history h(10s);
  for (int i = 0; i < 5; ++i) h.add(t0 + i * 500ms, lsn{100});
  BOOST_TEST((*h.covered_until(lsn{100}) == t0 + 2s));
}

BOOST_AUTO_TEST_CASE(position_after_is_the_first_sample_at_or_after_the_moment) {
  primary_history h(10s);
  h.add(t0, lsn{100});
  h.add(t0 + 500ms, lsn{200});
  BOOST_TEST(h.position_after(t0 - 1ms)->value == 100u);
  BOOST_TEST(h.position_after(t0)->value == 100u);
  BOOST_TEST(h.position_after(t0 + 1ms)->value == 200u);
  BOOST_TEST(!h.position_after(t0 + 501ms));  // not sampled yet
}

BOOST_AUTO_TEST_CASE(lag_is_measured_by_flush_and_own_writes_by_insert_positions) {
  primary_history h(10s);
  // Flushed to 100, inserted to 140 (commits not yet flushed, as under synchronous_commit off).
  h.add(t0, lsn{100}, lsn{140});
  // A standby at 100 has all the primary could send it: current.
  BOOST_TEST((*h.covered_until(lsn{100}) == t0));
  // Writes before t0 may lie up to 140: that is what a read of them needs.
  BOOST_TEST(h.position_after(t0 - 1ms)->value == 140u);
  // An insert position below the flush position (never from a server) is taken as the flush.
  h.add(t0 + 500ms, lsn{200}, lsn{150});
  BOOST_TEST(h.position_after(t0 + 1ms)->value == 200u);
  h.add(t0 + 1s, lsn{300});  // without one: the flush position
  BOOST_TEST(h.position_after(t0 + 501ms)->value == 300u);
}

BOOST_AUTO_TEST_CASE(samples_older_than_the_horizon_are_dropped_but_the_newest_stays) {
  primary_history h(2s);
  for (int i = 0; i <= 10; ++i) h.add(t0 + i * 1s, lsn{std::uint64_t(i)});
  BOOST_TEST(h.size() == 3u);  // t0+8s, t0+9s, t0+10s
  BOOST_TEST(!h.covered_until(lsn{7}));
  BOOST_TEST((*h.covered_until(lsn{8}) == t0 + 8s));
  h.add(t0 + 60s, lsn{11});
  BOOST_TEST(h.size() == 1u);
  BOOST_TEST(h.newest()->value == 11u);
  BOOST_TEST((*h.newest_at() == t0 + 60s));
}

BOOST_AUTO_TEST_CASE(a_position_going_back_starts_the_history_again) {
  // Another server answered as primary (a failover): its positions are not comparable.
  primary_history h(10s);
  h.add(t0, lsn{500});
  h.add(t0 + 1s, lsn{600});
  h.add(t0 + 2s, lsn{50});
  BOOST_TEST(h.size() == 1u);
  BOOST_TEST((*h.covered_until(lsn{50}) == t0 + 2s));
  h.add(t0 + 1s, lsn{60});  // and so does a time going back
  BOOST_TEST(h.size() == 1u);
}

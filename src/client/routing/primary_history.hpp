// The primary's WAL position sampled over time, to tell how stale a standby is without asking
// the standby for more than its replay position: a standby whose replay position is at least
// the primary's position sampled at time T holds everything the primary had committed at T, so
// it is at most `now - T` behind. The bound errs on the safe side: it counts the time between
// two samples as lag.
#pragma once

#include "client/routing/lsn.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>

namespace pgfns::detail {

class primary_history {
 public:
  using clock = std::chrono::steady_clock;

  // Keeps the samples of the last `horizon` (and always the newest one): a standby further
  // behind than that is "older than the history", which is all the routing needs to know.
  explicit primary_history(clock::duration horizon) : horizon_(horizon) {}

  // A sample taken at `at`: `position` is the primary's flush position (what a standby can have
  // replayed), `inserted` its insert position (past every commit made before, flushed or not,
  // as under synchronous_commit off; at least `position`). Samples older than the newest one,
  // or with a position below it (a different primary, after a failover), start the history
  // again.
  void add(clock::time_point at, lsn position, std::optional<lsn> inserted = std::nullopt);
  void clear() noexcept { samples_.clear(); }

  bool empty() const noexcept { return samples_.empty(); }
  std::size_t size() const noexcept { return samples_.size(); }
  // The newest sample's position and time; nullopt when there is none.
  std::optional<lsn> newest() const noexcept;
  std::optional<clock::time_point> newest_at() const noexcept;

  // The latest time T at which the primary's position was at most `replayed`: a standby that
  // has replayed `replayed` holds everything committed by T. nullopt when every sample is past
  // `replayed` (the standby is older than the history) or there is none.
  std::optional<clock::time_point> covered_until(lsn replayed) const noexcept;

  // The insert position of the first sample taken at or after `at`: everything committed before
  // `at` lies at or below it. nullopt until such a sample exists.
  std::optional<lsn> position_after(clock::time_point at) const noexcept;

 private:
  struct sample {
    clock::time_point at;
    lsn position;
    lsn inserted;
  };
  clock::duration horizon_;
  std::deque<sample> samples_;  // oldest first; times and positions never decrease
};

}  // namespace pgfns::detail

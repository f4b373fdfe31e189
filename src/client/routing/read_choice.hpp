// The choice of server for a read: a standby that is up, is a standby, runs a database version
// that has the method, is fresh enough and holds the caller's own writes, the one with the
// fewest calls in flight; otherwise the primary (when reads may fall back to it) or nothing.
// Pure functions of the servers' states, unit-tested without a server.
#pragma once

#include "client/routing/lsn.hpp"
#include "client/routing/primary_history.hpp"
#include "client/routing/server_state.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace pgfns::detail {

// Why a standby serves no read, for monitor events and error messages.
enum class skip_reason {
  down,             // its pool cannot reach it
  not_probed,       // no probe has answered yet: role, version and position unknown
  not_standby,      // pg_is_in_recovery() is false: a promoted standby is not a replica
  old_version,      // its tcversion is below the version that last defined the method
  too_stale,        // it may lag the primary by more than max_replica_lag
  behind_position,  // it has not replayed the caller's own writes yet
};
std::string_view to_string(skip_reason r) noexcept;

struct read_request {
  int method_version = 0;  // resolved_method::defined_in
  // Read-your-writes: the standby must have replayed this position (a token from a write)...
  std::optional<lsn> after;
  // ...or the writes that completed before this moment (the first primary sample taken at or
  // after it gives their position; until one is taken, no standby holds them for sure).
  std::optional<std::chrono::steady_clock::time_point> written_before;
  std::chrono::milliseconds max_lag{0};  // 0: no bound
  bool fallback = true;                  // the primary may serve reads no standby can
};

// The servers as the choice sees them at `now`.
struct routing_view {
  std::span<const server_state> standbys;  // the read servers, in the order configured
  const primary_history& primary;          // the write server's positions over time
  bool primary_down = false;               // the write server cannot be reached
  std::chrono::steady_clock::time_point now;
};

// An upper bound of how far `standby` lagged the primary as of the newest primary sample N (or
// `now`, when earlier): N - T for the latest primary sample T whose position it has replayed.
// Measured against what the primary was last seen to have, not against the clock, so that a
// primary that stops answering (frozen, or its probes delayed by load) does not make standbys
// holding all it was seen to commit look stale. nullopt when the standby is older than the
// history, or its position or the history is unknown.
std::optional<std::chrono::steady_clock::duration> staleness(
    const server_state& standby, const primary_history& primary,
    std::chrono::steady_clock::time_point now) noexcept;

// Why `standby` may not serve `r`, or nullopt when it may. The lag bound is not applied while
// the primary is down: nothing can be measured against it then (and, as far as this database
// sees, nothing new is committed), so a standby keeps serving reads rather than none doing so.
std::optional<skip_reason> why_skipped(const server_state& standby, const read_request& r,
                                       const routing_view& v) noexcept;

// True when `standby` may not serve `r` only because it has not replayed the caller's writes (or
// their position is not known yet), and it was keeping up when last probed: its replay position
// then covered the primary's as of `keeping_up` before. Such a standby is worth a short wait.
bool may_catch_up(const server_state& standby, const read_request& r, const routing_view& v,
                  std::chrono::steady_clock::duration keeping_up) noexcept;

struct read_choice {
  enum class target { standby, primary, none } where = target::none;
  std::size_t standby = 0;  // the index in routing_view::standbys when where == standby
};

// Of the standbys that may serve `r`, the one with the fewest calls in flight (the first of
// them on a tie); otherwise the primary when r.fallback, else none.
read_choice choose_read(const read_request& r, const routing_view& v) noexcept;

}  // namespace pgfns::detail

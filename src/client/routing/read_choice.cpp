#include "client/routing/read_choice.hpp"

#include <algorithm>

namespace pgfns::detail {

std::string_view to_string(server_role r) noexcept {
  switch (r) {
    case server_role::primary:
      return "primary";
    case server_role::standby:
      return "standby";
    case server_role::unknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(skip_reason r) noexcept {
  switch (r) {
    case skip_reason::down:
      return "down";
    case skip_reason::not_probed:
      return "not probed yet";
    case skip_reason::not_standby:
      return "not a standby";
    case skip_reason::old_version:
      return "database version too old for the method";
    case skip_reason::too_stale:
      return "lags more than max_replica_lag";
    case skip_reason::behind_position:
      return "has not replayed the caller's writes";
  }
  return "unknown";
}

std::optional<std::chrono::steady_clock::duration> staleness(
    const server_state& standby, const primary_history& primary,
    std::chrono::steady_clock::time_point now) noexcept {
  if (!standby.position) return std::nullopt;
  const auto t = primary.covered_until(*standby.position);
  if (!t) return std::nullopt;
  const auto as_of = std::min(now, *primary.newest_at());
  return as_of > *t ? as_of - *t : std::chrono::steady_clock::duration::zero();
}

std::optional<skip_reason> why_skipped(const server_state& s, const read_request& r,
                                       const routing_view& v) noexcept {
  if (s.down) return skip_reason::down;
  if (s.role == server_role::unknown || s.version < 0 || !s.position)
    return skip_reason::not_probed;
  if (s.role != server_role::standby) return skip_reason::not_standby;
  if (s.version < r.method_version) return skip_reason::old_version;
  if (r.max_lag.count() > 0 && !v.primary_down) {
    const auto lag = staleness(s, v.primary, v.now);
    if (!lag || *lag > r.max_lag) return skip_reason::too_stale;
  }
  if (r.after && *s.position < *r.after) return skip_reason::behind_position;
  if (r.written_before) {
    const auto needed = v.primary.position_after(*r.written_before);
    if (!needed || *s.position < *needed) return skip_reason::behind_position;
  }
  return std::nullopt;
}

bool may_catch_up(const server_state& s, const read_request& r, const routing_view& v,
                  std::chrono::steady_clock::duration keeping_up) noexcept {
  if (why_skipped(s, r, v) != skip_reason::behind_position) return false;
  const auto covered = v.primary.covered_until(*s.position);
  return covered && s.sampled_at - *covered <= keeping_up;
}

read_choice choose_read(const read_request& r, const routing_view& v) noexcept {
  read_choice best;
  for (std::size_t i = 0; i < v.standbys.size(); ++i) {
    const server_state& s = v.standbys[i];
    if (best.where == read_choice::target::standby &&
        s.in_flight >= v.standbys[best.standby].in_flight)
      continue;
    if (why_skipped(s, r, v)) continue;
    best = {read_choice::target::standby, i};
  }
  if (best.where == read_choice::target::none && r.fallback)
    best.where = read_choice::target::primary;
  return best;
}

}  // namespace pgfns::detail

#include "client/routing/router.hpp"

#include <algorithm>

namespace pgfns::detail {

namespace {

// The history must reach back past the lag bound, so that a standby within it is found in it;
// a few probe intervals more cover probes that answer late.
primary_history::clock::duration horizon(const routing_options& o) {
  const auto bound = std::max(o.max_replica_lag, std::chrono::milliseconds(1000));
  return bound + 4 * o.probe_interval;
}

void record(server_state& s, const probe_answer& a, router::clock::time_point at) {
  if (a.position != s.position) s.advanced_at = at;
  s.role = a.role;
  s.position = a.position;
  s.version = a.version;
  s.sampled_at = at;
}

}  // namespace

router::router(std::size_t read_servers, routing_options options)
    : options_(options), reads_(read_servers), history_(horizon(options)) {}

void router::write_server_probed(const probe_answer& a, clock::time_point at) {
  record(write_, a, at);
  if (a.role == server_role::primary && a.position) history_.add(at, *a.position, a.inserted);
}

void router::read_server_probed(std::size_t i, const probe_answer& a, clock::time_point at) {
  record(reads_[i], a, at);
}

void router::set_read_load(std::size_t i, bool down, std::size_t in_flight) noexcept {
  reads_[i].down = down;
  reads_[i].in_flight = in_flight;
}

read_request router::request(int method_version) const noexcept {
  read_request r;
  r.method_version = method_version;
  r.max_lag = options_.max_replica_lag;
  r.fallback = options_.read_fallback;
  return r;
}

routing_view router::view(clock::time_point now) const noexcept {
  return {reads_, history_, write_.down, now};
}

read_choice router::choose(const read_request& r, clock::time_point now) const noexcept {
  return choose_read(r, view(now));
}

std::optional<skip_reason> router::why_skipped(std::size_t i, const read_request& r,
                                               clock::time_point now) const noexcept {
  return detail::why_skipped(reads_[i], r, view(now));
}

bool router::worth_waiting(const read_request& r, clock::time_point now) const noexcept {
  const routing_view v = view(now);
  for (const server_state& s : reads_)
    if (may_catch_up(s, r, v, 2 * options_.probe_interval)) return true;
  return false;
}

std::optional<router::clock::duration> router::lag(std::size_t i,
                                                   clock::time_point now) const noexcept {
  return staleness(reads_[i], history_, now);
}

}  // namespace pgfns::detail

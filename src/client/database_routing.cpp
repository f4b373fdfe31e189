// A database's side of routing: the probes that feed its router, the choice of pool for each
// call, reads waiting for a standby to replay their caller's writes, and the positions handed
// out for read-your-writes across processes.
#include "client/database_core.hpp"

#include <pgfns/error.hpp>

#include <algorithm>

namespace pgfns::detail {

namespace {

using clock = std::chrono::steady_clock;

// How often a starting database probes: it waits for the standbys' first fresh positions.
constexpr std::chrono::milliseconds start_probe_interval{25};
// A standby whose replay position has not moved for this long while the start waits for it is
// stalled (its replay paused, or stuck): waiting longer would only delay the start.
constexpr std::chrono::milliseconds stalled_after{250};

}  // namespace

void database_core::start_probes(std::function<void()> done) {
  stop_probes();
  auto w = weak_from_this();
  auto answered = [w](std::size_t probe) {
    return [w, probe](const std::optional<probe_answer>& a, clock::time_point asked_at) {
      if (auto self = w.lock()) self->on_probe_answer(probe, a, asked_at);
    };
  };
  probes_.push_back(std::make_shared<server_probe>(ex_, write_, start_probe_interval, answered(0)));
  for (std::size_t i = 0; i < router_->read_servers(); ++i)
    probes_.push_back(
        std::make_shared<server_probe>(ex_, reads_[i], start_probe_interval, answered(i + 1)));
  probe_failed_.assign(probes_.size(), false);
  // The write server first: a standby's first position, taken after it, is then compared with
  // a primary position no newer than itself, and a standby that keeps up counts as fresh at once.
  auto remaining = std::make_shared<std::size_t>(router_->read_servers());
  probes_[0]->start([w, remaining, done = std::move(done)]() mutable {
    auto self = w.lock();
    if (!self || self->probes_.empty() || *remaining == 0) return done();
    auto one_done = [remaining, done = std::move(done)] {
      if (--*remaining == 0) done();
    };
    for (std::size_t i = 1; i < self->probes_.size(); ++i) self->probes_[i]->start(one_done);
  });
}

void database_core::stop_probes() noexcept {
  for (auto& p : probes_) p->stop();
  probes_.clear();
}

void database_core::on_probe_answer(std::size_t probe, const std::optional<probe_answer>& a,
                                    clock::time_point asked_at) {
  if (probe < probe_failed_.size()) probe_failed_[probe] = !a;
  if (a) {
    if (probe == 0)
      router_->write_server_probed(*a, asked_at);
    else
      router_->read_server_probed(probe - 1, *a, asked_at);
  }
  if (probe == 0) answer_position_waiters();
  if (on_standbys_settled_ && standbys_settled()) {
    settle_timer_.cancel();
    std::exchange(on_standbys_settled_, nullptr)();
  }
  // Waiting reads are routed again; those that wait on ask for the next positions at once
  // (pool_for).
  if (!route_waiters_.empty()) release_route_waiters(false);
}

bool database_core::standbys_settled() const noexcept {
  if (write_->down() || probe_failed_.empty() || probe_failed_[0]) return true;  // no measure
  const int latest = schema().latest_version();
  const read_request r = router_->request(latest);
  const auto now = clock::now();
  for (std::size_t i = 0; i < router_->read_servers(); ++i) {
    if (reads_[i]->down() || probe_failed_[i + 1]) continue;
    const auto why = router_->why_skipped(i, r, now);
    if (why == skip_reason::not_probed) return false;
    const server_state& s = router_->read_server(i);
    if (why == skip_reason::too_stale && now - s.advanced_at < stalled_after) return false;
  }
  return true;
}

void database_core::wait_for_standbys(std::function<void()> done) {
  if (options_.max_replica_lag.count() <= 0 || standbys_settled()) return done();
  on_standbys_settled_ = std::move(done);
  settle_timer_.expires_after(options_.max_replica_lag);
  settle_timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
    auto self = w.lock();
    if (ec || !self || !self->on_standbys_settled_) return;
    std::exchange(self->on_standbys_settled_, nullptr)();
  });
}

pool* database_core::pool_for(const resolved_method& m, const call_options& o, route_waiter& w) {
  if (m.definition.mode == method_mode::write) return write_.get();
  if (reads_on_primary_) return reads_[0].get();
  if (o.primary) return write_.get();
  router_->set_write_down(write_->down());
  for (std::size_t i = 0; i < reads_.size(); ++i)
    router_->set_read_load(i, reads_[i]->down(), reads_[i]->load());
  read_request r = router_->request(m.defined_in);
  if (o.read_your_writes.value_or(options_.read_your_writes))
    r.written_before = group_->last_write_ended();
  if (o.after) r.after = lsn{o.after->value()};
  // Only the primary is sure to hold the caller's writes when no standby has them yet.
  const bool own_writes = r.after || r.written_before;
  if (own_writes) r.fallback = true;
  const auto now = clock::now();
  const read_choice c = router_->choose(r, now);
  if (c.where != read_choice::target::standby && own_writes &&
      options_.read_your_writes_wait.count() > 0) {
    if (w.route_until_ == clock::time_point{})
      w.route_until_ = now + options_.read_your_writes_wait;
    if (now < w.route_until_ && router_->worth_waiting(r, now)) {
      route_waiters_.push_back(&w);
      arm_route_timer();
      for (auto& p : probes_) p->probe_soon();
      if (options_.monitor.on_route) {
        route_event e;
        e.method = m.definition.name;
        e.waiting = true;
        report(e);
      }
      return nullptr;
    }
  }
  return &read_target(c, r, m);
}

pool& database_core::read_target(const read_choice& c, const read_request& r,
                                 const resolved_method& m) {
  pool* chosen = nullptr;
  switch (c.where) {
    case read_choice::target::standby:
      chosen = reads_[c.standby].get();
      break;
    case read_choice::target::primary:
      chosen = write_.get();
      break;
    case read_choice::target::none:
      // No standby may serve it and the write server may not: the first one up waits for a
      // connection (or fails as its pool does), as a single read server always did.
      chosen = reads_[0].get();
      for (auto& p : reads_)
        if (!p->down()) {
          chosen = p.get();
          break;
        }
      break;
  }
  if (options_.monitor.on_route) {
    route_event e;
    e.method = m.definition.name;
    e.server = chosen->server();
    e.primary = chosen == write_.get();
    const auto now = clock::now();
    for (std::size_t i = 0; i < reads_.size(); ++i)
      if (auto why = router_->why_skipped(i, r, now))
        e.skipped.push_back({reads_[i]->server(), to_string(*why)});
    report(e);
  }
  return *chosen;
}

void database_core::cancel_route_wait(route_waiter& w) noexcept {
  std::erase(route_waiters_, &w);
}

void database_core::release_route_waiters(bool all) {
  // Every waiter is routed again: it goes to a standby that has caught up, to the primary when
  // its wait is over (or `all`), and otherwise waits on.
  std::vector<route_waiter*> waiting = std::move(route_waiters_);
  route_waiters_.clear();
  if (all)
    for (route_waiter* w : waiting) w->route_until_ = clock::now();
  for (route_waiter* w : waiting) w->on_route_ready();
}

void database_core::arm_route_timer() {
  if (route_waiters_.empty()) return;
  route_timer_.expires_at(route_waiters_.front()->route_until_);
  route_timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
    auto self = w.lock();
    if (ec || !self) return;
    self->release_route_waiters(false);
  });
}

void database_core::read_position(
    std::function<void(boost::system::error_code, pgfns::read_position)> done) {
  if (!running()) return done(closed() ? errc::shut_down : errc::not_started, {});
  position_waiters_.push_back(
      {group_->last_write_ended().value_or(clock::time_point{}), std::move(done)});
  answer_position_waiters();
  if (!position_waiters_.empty() && !probes_.empty()) probes_[0]->probe_soon();
}

void database_core::answer_position_waiters() {
  if (position_waiters_.empty()) return;
  std::vector<position_waiter> waiting = std::move(position_waiters_);
  position_waiters_.clear();
  const primary_history& h = router_->primary();
  const bool failed = closed() || write_->down() || probe_failed_.empty() || probe_failed_[0];
  for (position_waiter& p : waiting) {
    if (const auto pos = h.position_after(p.since)) {
      p.done({}, pgfns::read_position(pos->value));
    } else if (failed) {
      p.done(closed() ? errc::shut_down : errc::server_unavailable, {});
    } else {
      position_waiters_.push_back(std::move(p));
    }
  }
}

std::vector<server_stats> database_core::servers() const {
  std::vector<server_stats> out;
  const auto now = clock::now();
  auto describe = [&](const pool& p, const server_state& s, pool_role role) {
    server_stats st;
    st.server = p.server();
    st.pool = role;
    st.role = std::string(to_string(s.role));
    st.version = s.version;
    st.pool_counts = p.stats();
    return st;
  };
  out.push_back(describe(*write_, router_->write_server(), pool_role::write));
  out.back().serves_reads = reads_on_primary_;
  const read_request r = router_->request(schema().latest_version());
  for (std::size_t i = 0; i < router_->read_servers(); ++i) {
    server_stats st = describe(*reads_[i], router_->read_server(i), pool_role::read);
    if (const auto lag = router_->lag(i, now))
      st.lag = std::chrono::duration_cast<std::chrono::milliseconds>(*lag);
    const auto why = router_->why_skipped(i, r, now);
    st.serves_reads = !why;
    if (why) st.skipped = std::string(to_string(*why));
    out.push_back(std::move(st));
  }
  return out;
}

}  // namespace pgfns::detail

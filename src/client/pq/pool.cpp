#include "client/pq/pool.hpp"

#include "client/pq/backoff.hpp"

#include <pgfns/error.hpp>

#include <algorithm>

namespace pgfns::detail {

pool::pool(boost::asio::any_io_executor ex, std::shared_ptr<const conninfo> info,
           std::shared_ptr<blocking_worker> worker, pool_options options)
    : ex_(ex),
      info_(std::move(info)),
      worker_(std::move(worker)),
      options_(options),
      deadline_timer_(ex),
      retry_timer_(ex),
      on_demand_timer_(ex) {
  options_.max_size = std::max<std::size_t>(options_.max_size, 1);
  options_.depth = std::max<std::size_t>(options_.depth, 1);
}

pool::~pool() {
  close();
}

void pool::start(start_handler done, std::chrono::steady_clock::time_point retry_until) {
  on_start_ = std::move(done);
  start_retry_until_ = retry_until;
  open_one();
}

void pool::close() {
  if (closed_) return;
  closed_ = true;
  deadline_timer_.cancel();
  retry_timer_.cancel();
  on_demand_timer_.cancel();
  auto ready = std::move(ready_);
  auto connecting = std::move(connecting_);
  for (auto* list : {&ready, &connecting}) {
    for (auto& c : *list) {
      c->set_observer(nullptr);
      c->close(errc::shut_down);
    }
  }
  release_waiters(errc::shut_down);
  if (auto done = std::move(on_start_)) {  // a start still retrying
    on_start_ = nullptr;
    done(errc::shut_down, "closed while connecting");
  }
}

connection* pool::pick() const noexcept {
  connection* best = nullptr;
  for (const auto& c : ready_) {
    if (!c->ready() || c->in_flight() >= options_.depth || !c->accepting()) continue;
    if (!best || c->in_flight() < best->in_flight()) best = c.get();
    if (best->in_flight() == 0) break;
  }
  return best;
}

connection* pool::try_acquire() {
  if (closed_) return nullptr;
  connection* c = waiters_.empty() ? pick() : nullptr;  // nobody overtakes the queue
  if (!c || c->in_flight() > 0) maintain();
  return c;
}

void pool::wait(pool_waiter& w) {
  if (closed_) return w.on_acquire_failed(errc::shut_down);
  const auto now = std::chrono::steady_clock::now();
  w.arrived_ = now;
  w.deadline_ = now + options_.acquire_timeout;
  waiters_.push_back(w);
  arm_deadline();
  // A caller wants the server now: it may be back before the next retry is due.
  if (hands_back_waiters()) return attempt_for_waiters();
  maintain();
}

void pool::attempt_for_waiters() {
  if (closed_ || !connecting_.empty() || waiters_.empty()) return;  // its failure comes back
  const auto due = last_failure_ + on_demand_gap;
  if (std::chrono::steady_clock::now() >= due) {
    on_demand_timer_.cancel();
    return open_one();  // its failure hands the waiters back (on_connect_done)
  }
  if (on_demand_armed_) return;
  on_demand_armed_ = true;
  on_demand_timer_.expires_at(due);
  on_demand_timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
    auto self = w.lock();
    if (!self) return;
    self->on_demand_armed_ = false;
    if (ec || self->closed_) return;
    if (self->hands_back_waiters()) return self->attempt_for_waiters();
    self->maintain();
  });
}

void pool::cancel_wait(pool_waiter& w) noexcept {
  if (w.is_linked()) waiters_.erase(waiters_.iterator_to(w));
}

void pool::retire(connection& c, std::string why) {
  auto keep = c.shared_from_this();
  remove(c);
  c.set_observer(nullptr);
  c.close(errc::connection_lost, std::move(why));
  maintain();
}

void pool::remove(connection& c) noexcept {
  auto it = std::find_if(ready_.begin(), ready_.end(), [&](auto& p) { return p.get() == &c; });
  if (it != ready_.end()) ready_.erase(it);
}

void pool::on_job_finished(connection&) {
  serve_waiters();
}

void pool::on_connection_lost(connection& c) {
  remove(c);
  if (!c.last_error().empty()) last_error_ = c.last_error();
  maintain();  // reconnects at once: failures_ counts only failed attempts
}

void pool::maintain() {
  if (closed_) return;
  const std::size_t open = ready_.size() + connecting_.size();
  const bool all_busy = std::none_of(ready_.begin(), ready_.end(),
                                     [](auto& c) { return c->ready() && c->in_flight() == 0; });
  const bool want = open == 0 || (open < options_.max_size && connecting_.empty() &&
                                  (all_busy || !waiters_.empty()));
  if (!want || !connecting_.empty()) return;
  if (failures_ == 0) return open_one();
  if (retry_armed_) return;
  retry_armed_ = true;
  auto delay = std::chrono::steady_clock::duration(reconnect_delay(failures_));
  if (on_start_)  // a start retrying: the last attempt begins when its time is up
    delay = std::min(delay, start_retry_until_ - std::chrono::steady_clock::now());
  retry_timer_.expires_after(delay);
  retry_timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
    auto self = w.lock();
    if (!self) return;
    self->retry_armed_ = false;
    if (!ec && !self->closed_ && self->connecting_.empty()) self->open_one();
  });
}

void pool::open_one() {
  attempt_began_ = std::chrono::steady_clock::now();
  auto c = std::make_shared<connection>(ex_, info_, worker_);
  c->set_cancel_grace(options_.cancel_grace);
  c->set_reads_per_sync(options_.reads_per_sync);
  connecting_.push_back(c);
  c->async_connect(options_.connect_timeout,
                   [w = weak_from_this(), c](boost::system::error_code ec, const std::string& m) {
                     if (auto self = w.lock()) self->on_connect_done(c, ec, m);
                   });
}

void pool::on_connect_done(const std::shared_ptr<connection>& c, boost::system::error_code ec,
                           const std::string& message) {
  std::erase(connecting_, c);
  if (closed_) {
    c->close(errc::shut_down);
    ec = errc::shut_down;
  } else if (ec) {
    ++failures_;
    last_failure_ = std::chrono::steady_clock::now();
    last_failure_timed_out_ = c->connect_timed_out();
    last_error_ = message;
  } else {
    failures_ = 0;
    c->set_observer(this);
    ready_.push_back(c);
  }
  const bool retry_start = ec && !closed_ && std::chrono::steady_clock::now() < start_retry_until_;
  if (on_start_ && !retry_start) {
    auto done = std::move(on_start_);
    on_start_ = nullptr;
    done(ec, message);
  }
  if (closed_) return;
  if (hands_back_waiters()) {
    release_waiters(errc::server_unavailable, attempt_began_);
    attempt_for_waiters();
  }
  serve_waiters();
  maintain();
}

void pool::serve_waiters() {
  while (!waiters_.empty() && !closed_) {
    connection* c = pick();
    if (!c) break;
    pool_waiter& w = waiters_.front();
    waiters_.pop_front();
    w.on_acquired(*c);
  }
  if (!waiters_.empty()) maintain();
}

void pool::arm_deadline() {
  if (deadline_armed_ || waiters_.empty() || closed_) return;
  deadline_armed_ = true;
  deadline_timer_.expires_at(waiters_.front().deadline_);
  deadline_timer_.async_wait([w = weak_from_this()](boost::system::error_code ec) {
    auto self = w.lock();
    if (!self) return;
    self->deadline_armed_ = false;
    if (!ec && !self->closed_) self->expire_waiters();
  });
}

void pool::expire_waiters() {
  const auto now = std::chrono::steady_clock::now();
  while (!waiters_.empty() && waiters_.front().deadline_ <= now) {
    pool_waiter& w = waiters_.front();
    waiters_.pop_front();
    w.on_acquire_failed(errc::pool_timeout);
  }
  arm_deadline();
}

void pool::release_waiters(boost::system::error_code ec,
                           std::chrono::steady_clock::time_point came_by) {
  queue released;
  while (!waiters_.empty() && waiters_.front().arrived_ <= came_by) {
    pool_waiter& w = waiters_.front();
    waiters_.pop_front();
    released.push_back(w);
  }
  while (!released.empty()) {
    pool_waiter& w = released.front();
    released.pop_front();
    w.on_acquire_failed(ec);
  }
}

bool pool::hands_back_waiters() const noexcept {
  if (!down()) return false;
  return options_.release_waiters_when_down ||
         (options_.release_waiters_when_refused && !last_failure_timed_out_);
}

std::size_t pool::load() const noexcept {
  std::size_t n = waiters_.size();
  for (const auto& c : ready_) n += c->in_flight();
  return n;
}

pool_stats pool::stats() const noexcept {
  pool_stats s;
  s.connecting = connecting_.size();
  for (const auto& c : ready_) {
    s.in_flight += c->in_flight();
    ++(c->in_flight() == 0 ? s.idle : s.busy);
  }
  s.total = ready_.size() + s.connecting;
  s.waiting = waiters_.size();
  s.calls = calls_;
  s.errors = errors_;
  s.available = !down();
  return s;
}

void pool::count_call(bool failed) noexcept {
  ++calls_;
  if (failed) ++errors_;
}

}  // namespace pgfns::detail

#include "client/shard_group.hpp"

#include <utility>

namespace pgfns::detail {

shard_group::shard_group(boost::asio::any_io_executor home, std::size_t shards)
    : home_(std::move(home)),
      size_(shards),
      last_write_ended_(clock::time_point::min().time_since_epoch().count()),
      snapshots_(shards) {}

std::size_t shard_group::next_shard() noexcept {
  return next_.fetch_add(1, std::memory_order_relaxed) % size_;
}

void shard_group::write_ended(clock::time_point t) noexcept {
  const clock::rep v = t.time_since_epoch().count();
  clock::rep seen = last_write_ended_.load(std::memory_order_relaxed);
  while (seen < v && !last_write_ended_.compare_exchange_weak(seen, v, std::memory_order_release,
                                                              std::memory_order_relaxed)) {
  }
}

std::optional<shard_group::clock::time_point> shard_group::last_write_ended() const noexcept {
  const clock::rep v = last_write_ended_.load(std::memory_order_acquire);
  if (v == clock::time_point::min().time_since_epoch().count()) return std::nullopt;
  return clock::time_point(clock::duration(v));
}

void shard_group::publish(std::size_t shard, shard_snapshot s) {
  const std::lock_guard lock(mutex_);
  snapshots_[shard] = std::move(s);
}

pool_stats shard_group::stats(pool_role role) const {
  pool_stats sum;
  sum.available = false;
  const std::lock_guard lock(mutex_);
  for (const shard_snapshot& s : snapshots_)
    add_counts(sum, role == pool_role::write ? s.write : s.read);
  return sum;
}

std::vector<server_stats> shard_group::servers() const {
  const std::lock_guard lock(mutex_);
  std::vector<server_stats> out = snapshots_.front().servers;
  for (std::size_t k = 1; k < snapshots_.size(); ++k) {
    const auto& theirs = snapshots_[k].servers;
    for (std::size_t i = 0; i < out.size() && i < theirs.size(); ++i)
      add_counts(out[i].pool_counts, theirs[i].pool_counts);
  }
  return out;
}

void add_counts(pool_stats& sum, const pool_stats& s) noexcept {
  sum.total += s.total;
  sum.idle += s.idle;
  sum.busy += s.busy;
  sum.connecting += s.connecting;
  sum.waiting += s.waiting;
  sum.in_flight += s.in_flight;
  sum.calls += s.calls;
  sum.errors += s.errors;
  sum.available = sum.available || s.available;
}

std::size_t shard_pool_size(std::size_t total, std::size_t n, std::size_t k) noexcept {
  if (n <= 1) return total;
  const std::size_t share = total / n + (k < total % n ? 1 : 0);
  return share == 0 ? 1 : share;
}

}  // namespace pgfns::detail

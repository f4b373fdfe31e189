// What the shards of one database share. With database_options::threads = N > 1 a database is
// N shards, each a database_core on a strand of its own with its share of the pools; a call
// runs on one shard from start to end. Shared: the executor the database was given, which
// shard takes the next call, when the last write ended (read-your-writes holds across
// shards), and the counts each shard publishes for database::stats() and servers(). Every
// member may be used from any thread.
#pragma once

#include <pgfns/monitor.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <vector>

namespace pgfns::detail {

// One shard's counts at one moment.
struct shard_snapshot {
  pool_stats write;
  pool_stats read;
  std::vector<server_stats> servers;
};

// How often a shard of several publishes its counts while it runs (and at start and close).
inline constexpr std::chrono::milliseconds shard_snapshot_interval{50};

class shard_group {
 public:
  using clock = std::chrono::steady_clock;

  shard_group(boost::asio::any_io_executor home, std::size_t shards);

  // The executor the database was given.
  const boost::asio::any_io_executor& home() const noexcept { return home_; }
  std::size_t size() const noexcept { return size_; }
  // The shard for a call made off every shard's strand: each in turn.
  std::size_t next_shard() noexcept;

  void write_ended(clock::time_point t) noexcept;
  std::optional<clock::time_point> last_write_ended() const noexcept;

  void publish(std::size_t shard, shard_snapshot s);
  // Over the shards' last snapshots.
  pool_stats stats(pool_role role) const;
  // The first shard's view of the servers, with every shard's pool counts.
  std::vector<server_stats> servers() const;

 private:
  boost::asio::any_io_executor home_;
  std::size_t size_;
  std::atomic<std::size_t> next_{0};
  std::atomic<clock::rep> last_write_ended_;
  mutable std::mutex mutex_;
  std::vector<shard_snapshot> snapshots_;
};

// Adds `s`'s counts to `sum`; `sum` is available when either is.
void add_counts(pool_stats& sum, const pool_stats& s) noexcept;

// The pool size of shard `k` of `n` for a database's pool size `total`: an even split, the
// first shards taking what is left over, and at least 1 (with several shards).
std::size_t shard_pool_size(std::size_t total, std::size_t n, std::size_t k) noexcept;

}  // namespace pgfns::detail

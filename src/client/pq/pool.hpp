// A pool of connections to one server (the read pool or the write pool of a database).
//
// Calls take the open connection with the fewest jobs in flight, as long as it has fewer than
// `depth` (1 when pipelining is off); when none has room, they wait in a FIFO queue until one
// has, or until their deadline (pool_timeout). The pool grows up to `max_size` when every
// connection is busy, keeps at least one connection open, and replaces broken connections in
// the background, waiting reconnect_delay() between failed attempts. Knows nothing of methods.
#pragma once

#include "client/pq/blocking_worker.hpp"
#include "client/pq/connection.hpp"
#include "client/pq/conninfo.hpp"

#include <pgfns/monitor.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/list.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pgfns::detail {

struct queue_tag;

// A call waiting for a connection.
class pool_waiter : public boost::intrusive::list_base_hook<boost::intrusive::tag<queue_tag>> {
 public:
  // `c` has room: submit one job on it before returning.
  virtual void on_acquired(connection& c) = 0;
  // pool_timeout (waited too long), server_unavailable (the pool's server is unreachable and
  // the pool hands its waiters back) or shut_down.
  virtual void on_acquire_failed(boost::system::error_code ec) = 0;

 protected:
  ~pool_waiter() = default;

 private:
  friend class pool;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::steady_clock::time_point arrived_;
};

// The shortest time between two connection attempts made for waiting callers (pool_options::
// release_waiters_when_down): a waiter arriving sooner after a failed attempt waits for the
// next one.
inline constexpr std::chrono::milliseconds on_demand_gap{100};

struct pool_options {
  pool_role role = pool_role::write;
  std::size_t max_size = 10;
  std::size_t depth = 16;  // jobs in flight per connection
  std::chrono::milliseconds acquire_timeout{5000};
  std::chrono::milliseconds connect_timeout{10000};
  // How long a connection waits for the server to answer a cancel request (connection::stop).
  std::chrono::milliseconds cancel_grace{5000};
  std::size_t reads_per_sync = 1;  // connection::set_reads_per_sync
  // Hand the waiters back (server_unavailable) when the server becomes unreachable, so that
  // they can go elsewhere (read fallback) or fail fast (a write); while it is, a new waiter
  // gets a connection attempt begun after it arrived (at once, or on_demand_gap after the last
  // failed attempt) and fails with that attempt: never with one that began before it came,
  // when the server may not have been back yet. Otherwise they wait for a reconnect or time
  // out.
  bool release_waiters_when_down = false;
  // The same, but only when the server refused the last attempt (or it failed otherwise), not
  // when the attempt timed out: a server that is slow to accept a connection (a busy machine,
  // a reconnect after killed backends) gets the waiters' patience, one that is gone does not.
  bool release_waiters_when_refused = false;
};

class pool final : public connection_observer, public std::enable_shared_from_this<pool> {
 public:
  using start_handler = std::function<void(boost::system::error_code, const std::string&)>;

  pool(boost::asio::any_io_executor ex, std::shared_ptr<const conninfo> info,
       std::shared_ptr<blocking_worker> worker, pool_options options);
  pool(const pool&) = delete;
  pool& operator=(const pool&) = delete;
  ~pool();

  // Opens the first connection; `done` runs when an attempt succeeds, or when one fails at or
  // after `retry_until` (by default the first attempt decides). Until then failed attempts are
  // repeated after reconnect_delay(), the last one when `retry_until` comes. After a failure
  // the pool keeps trying in the background.
  void start(start_handler done, std::chrono::steady_clock::time_point retry_until = {});
  // Closes every connection (their jobs fail with shut_down) and fails the waiters.
  void close();

  // A connection with room, or nullptr (then call wait()).
  connection* try_acquire();
  void wait(pool_waiter& w);
  // Removes a waiter from the queue without calling it back.
  void cancel_wait(pool_waiter& w) noexcept;
  // Closes `c` (its other jobs fail with connection_lost; `why` becomes its last_error) and
  // replaces it.
  void retire(connection& c, std::string why = {});

  // True while the server cannot be reached: no open connection, and the last attempt failed.
  bool down() const noexcept { return ready_.empty() && failures_ > 0; }
  // Why the last connection attempt or connection failed (no password), "" when none did.
  const std::string& last_error() const noexcept { return last_error_; }
  const std::string& server() const noexcept { return info_->server(); }
  pool_role role() const noexcept { return options_.role; }
  pool_stats stats() const noexcept;
  // Calls in flight on its connections plus those waiting for one: how busy its server is.
  std::size_t load() const noexcept;
  void count_call(bool failed) noexcept;

 private:
  using queue = boost::intrusive::list<
      pool_waiter, boost::intrusive::base_hook<
                       boost::intrusive::list_base_hook<boost::intrusive::tag<queue_tag>>>>;

  void on_job_finished(connection& c) override;
  void on_connection_lost(connection& c) override;

  connection* pick() const noexcept;
  void open_one();
  void on_connect_done(const std::shared_ptr<connection>& c, boost::system::error_code ec,
                       const std::string& message);
  void maintain();
  void serve_waiters();
  void arm_deadline();
  void expire_waiters();
  // Fails the waiters with `ec`, or only those that came by `came_by` (after a failed attempt:
  // the later ones get an attempt of their own, attempt_for_waiters).
  void release_waiters(
      boost::system::error_code ec,
      std::chrono::steady_clock::time_point came_by = std::chrono::steady_clock::time_point::max());
  // Starts a connection attempt for the waiters, no sooner than on_demand_gap after the last
  // failed one; nothing while one is under way.
  void attempt_for_waiters();
  // Whether waiters are handed back (and new ones failed) now: release_waiters_when_*.
  bool hands_back_waiters() const noexcept;
  void remove(connection& c) noexcept;

  boost::asio::any_io_executor ex_;
  std::shared_ptr<const conninfo> info_;
  std::shared_ptr<blocking_worker> worker_;
  pool_options options_;
  std::vector<std::shared_ptr<connection>> ready_;
  std::vector<std::shared_ptr<connection>> connecting_;
  queue waiters_;
  boost::asio::steady_timer deadline_timer_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer on_demand_timer_;
  bool deadline_armed_ = false;
  bool retry_armed_ = false;
  bool on_demand_armed_ = false;
  std::chrono::steady_clock::time_point attempt_began_{};  // of the last connection attempt
  bool closed_ = false;
  unsigned failures_ = 0;
  std::string last_error_;
  start_handler on_start_;
  std::chrono::steady_clock::time_point start_retry_until_{};
  std::chrono::steady_clock::time_point last_failure_{};  // of a connection attempt
  bool last_failure_timed_out_ = false;
  std::uint64_t calls_ = 0;
  std::uint64_t errors_ = 0;
};

}  // namespace pgfns::detail

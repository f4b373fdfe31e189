// The compiled heart of pgfns::database: the write pool and one pool per read server, the
// router that chooses among them and the probes that feed it, the statement cache, the start
// sequence, monitoring. Lives on one executor; shared by the database and its calls in flight.
// With database_options::threads > 1 it is one shard of several (shard_group.hpp): the first
// owns the others.
#pragma once

#include "client/call/deadline_list.hpp"
#include "client/pq/blocking_worker.hpp"
#include "client/pq/pool.hpp"
#include "client/pq/statement_cache.hpp"
#include "client/routing/router.hpp"
#include "client/server_probe.hpp"
#include "client/shard_group.hpp"
#include "schema/signature.hpp"

#include <pgfns/call_options.hpp>
#include <pgfns/database_options.hpp>
#include <pgfns/detail/call_initiation.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace pgfns::detail {

class call_op;

// A read waiting for a standby to replay its caller's writes (read_your_writes_wait).
class route_waiter {
 public:
  // Waiting is over (a standby caught up, the wait ran out, or the database closes): route
  // again, without waiting this time unless the wait has time left.
  virtual void on_route_ready() = 0;

 protected:
  ~route_waiter() = default;

 private:
  friend class database_core;
  std::chrono::steady_clock::time_point route_until_{};
};

class database_core;

// database_shards.cpp: starts the first shard (the version check), then the others at once; the
// handler runs on the database's executor when all have started or one has failed. When a
// shard fails after the first started, the database closes (it cannot be started again).
void start_shards(const std::shared_ptr<database_core>& first, start_handler handler);

class database_core : public std::enable_shared_from_this<database_core> {
 public:
  // A database on `ex`: one core, or with options.threads = N > 1 the first of N shards, each
  // on a strand of `ex` with its share of the pools. Throws std::invalid_argument as the
  // database's constructor does.
  static std::shared_ptr<database_core> create(boost::asio::any_io_executor ex,
                                               database_options options);
  // One shard on each executor, as given (say one io_context per thread).
  static std::shared_ptr<database_core> create(std::vector<boost::asio::any_io_executor> executors,
                                               database_options options);
  // The same, with `home` as the database's executor (get_executor()).
  static std::shared_ptr<database_core> create(std::vector<boost::asio::any_io_executor> executors,
                                               database_options options,
                                               boost::asio::any_io_executor home);
  database_core(boost::asio::any_io_executor ex, database_options options,
                std::shared_ptr<shard_group> group, std::size_t shard);
  ~database_core();

  shard_group& group() const noexcept { return *group_; }
  // The other shards (of the first shard only; empty with one thread).
  const std::vector<std::shared_ptr<database_core>>& other_shards() const noexcept {
    return others_;
  }

  const database_options& options() const noexcept { return options_; }
  const pgfns::schema& schema() const noexcept { return *options_.schema; }
  // The parameters of `m`, one of schema().methods() (as schema().find_method returns them).
  const signature& signature_of(const resolved_method& m) const noexcept {
    return signatures_[static_cast<std::size_t>(&m - schema().methods().data())];
  }
  const boost::asio::any_io_executor& executor() const noexcept { return ex_; }

  // database_start.cpp: connect, check the version, start the read pool.
  void start(start_handler handler);
  void close();
  pool_stats stats(pool_role role) const noexcept;

  // For calls.
  bool running() const noexcept { return state_ == state::running; }
  bool closed() const noexcept { return state_ == state::closed; }
  // The pool for a call of `m` right now: write methods to the write pool; reads where the
  // router sends them (a fresh standby with the method's version and the caller's writes, else
  // the write server when read_fallback or read-your-writes allows). nullptr: `w` is to wait
  // for a standby to catch up (read_your_writes_wait) and is called back.
  pool* pool_for(const resolved_method& m, const call_options& o, route_waiter& w);
  void cancel_route_wait(route_waiter& w) noexcept;
  // A write call has ended (in any way): reads under read-your-writes must see it.
  void write_ended() noexcept { group_->write_ended(std::chrono::steady_clock::now()); }
  // database.cpp: the primary's position after every write that ended before now.
  void read_position(std::function<void(boost::system::error_code, pgfns::read_position)> done);
  std::vector<server_stats> servers() const;
  // The write pool, or the first read pool.
  pool& pool_of(pool_role role) noexcept { return role == pool_role::read ? *reads_[0] : *write_; }
  const router& routing() const noexcept { return *router_; }
  statement_cache& statements() noexcept { return statements_; }
  // The calls' deadlines (options().call_timeout).
  deadline_list& deadlines() noexcept { return deadlines_; }
  // One call describes a new statement while the others wait: true when `op` is to describe
  // `s`, false when it was queued behind the call that does.
  bool begin_describe(const statement& s, call_op& op);
  // The calls that waited for `s` to be described (the describe has ended).
  std::vector<call_op*> end_describe(const statement& s);
  void cancel_describe_wait(const statement& s, call_op& op) noexcept;
  void report(const call_event& e) const;
  void report(const route_event& e) const;

 private:
  friend class start_sequence;
  enum class state { created, starting, running, closed };

  void make_pools();
  // Probes every server once, then every probe_interval (faster until the start ends); `done`
  // runs after the first round.
  void start_probes(std::function<void()> done);
  void stop_probes() noexcept;
  void on_probe_answer(std::size_t probe, const std::optional<probe_answer>& a,
                       std::chrono::steady_clock::time_point asked_at);
  // After the first round of probes: `done` runs once every reachable standby is shown fresh
  // (or too old for the schema, failing its probe, or stalled: its replay position still for a
  // quarter of a second), at most max_replica_lag later, so that the first reads already have
  // the standbys a running database would give them.
  void wait_for_standbys(std::function<void()> done);
  bool standbys_settled() const noexcept;
  void release_route_waiters(bool all);
  void arm_route_timer();
  void answer_position_waiters();
  pool& read_target(const read_choice& c, const read_request& r, const resolved_method& m);
  void finish_start(boost::system::error_code ec, diagnostics diag);
  void schedule_stats();
  // With several shards: publish this one's counts now and every shard_snapshot_interval.
  void publish_snapshot();
  void schedule_snapshot();

  boost::asio::any_io_executor ex_;
  database_options options_;
  std::vector<signature> signatures_;  // of schema().methods(), in the same order
  std::shared_ptr<blocking_worker> worker_;
  deadline_list deadlines_;  // before the pools: their calls leave it when the pools close
  std::shared_ptr<pool> write_;
  // One per read server; with none configured, one on the write server (reads_on_primary_).
  std::vector<std::shared_ptr<pool>> reads_;
  bool reads_on_primary_ = false;
  mutable std::optional<router> router_;               // servers() refreshes its view of the pools
  std::vector<std::shared_ptr<server_probe>> probes_;  // the write server's, then the reads'
  std::vector<bool> probe_failed_;                     // each probe's last answer was a failure
  std::function<void()> on_standbys_settled_;          // wait_for_standbys
  boost::asio::steady_timer settle_timer_;
  std::vector<route_waiter*> route_waiters_;  // oldest first; every wait is as long
  boost::asio::steady_timer route_timer_;
  struct position_waiter {
    std::chrono::steady_clock::time_point since;  // a primary position asked at or after it
    std::function<void(boost::system::error_code, pgfns::read_position)> done;
  };
  std::vector<position_waiter> position_waiters_;
  statement_cache statements_;
  std::unordered_map<std::uint32_t, std::vector<call_op*>> describe_waiters_;  // by statement id
  boost::asio::steady_timer stats_timer_;
  std::shared_ptr<shard_group> group_;
  std::size_t shard_ = 0;
  std::vector<std::shared_ptr<database_core>> others_;
  boost::asio::steady_timer snapshot_timer_;
  state state_ = state::created;
  bool started_before_ = false;
  // optional: any_completion_handler's move assignment is broken in Boost 1.81 (it wraps itself).
  std::optional<start_handler> on_start_;
};

}  // namespace pgfns::detail

// One nonblocking libpq connection in pipeline mode, driven by Asio waits on its socket.
//
// Jobs (pq_job) are sent in order, each followed by its own sync point, and answered in order:
// a pipeline (pipeline.hpp: the rules, without I/O) and one reader per connection. A job's
// error never affects another job, and neither does stopping one: a cancel request is sent
// only for the job the server runs, and the connection is closed only when the server does
// not answer that request within the cancel grace period. The connection prepares each statement
// once (under a name of its own) and remembers it; a failed prepare, or a statement the server no
// longer knows, is forgotten so that the next job prepares it again. Everything runs on the
// executor given at construction; the only blocking call, PQcancel, runs on a blocking_worker.
// Knows nothing of schemas or pools.
#pragma once

#include "client/pq/blocking_worker.hpp"
#include "client/pq/conninfo.hpp"
#include "client/pq/pq_job.hpp"
#include "common/pq_handle.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pgfns::detail {

class connection;

// Told about a connection's life by the connection (the pool implements it).
class connection_observer {
 public:
  virtual void on_job_finished(connection& c) = 0;  // one job less in flight
  virtual void on_connection_lost(connection& c) = 0;

 protected:
  ~connection_observer() = default;
};

class connection : public std::enable_shared_from_this<connection> {
 public:
  using connect_handler = std::function<void(boost::system::error_code, const std::string&)>;

  connection(boost::asio::any_io_executor ex, std::shared_ptr<const conninfo> info,
             std::shared_ptr<blocking_worker> worker);
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection();

  // Connects without blocking; `done(ec, message)` runs once on the executor. On failure ec is
  // errc::connect_failed and message is libpq's. `timeout` bounds the whole attempt.
  void async_connect(std::chrono::milliseconds timeout, connect_handler done);

  // Set once, before async_connect; null detaches.
  void set_observer(connection_observer* o) noexcept { observer_ = o; }

  // Sends `job` (never blocks). Requires ready(). The job completes through on_job_done.
  void submit(pq_job& job);
  // Stops `job` for `why`: the server is asked to cancel it once it is the one running; the job
  // then completes with the server's answer (57014) or its result if it finished first. With
  // `detach` its owner has been answered already: on_job_done only lets it go. When the
  // server does not answer the cancel within the grace period, the connection is closed (its
  // jobs fail with connection_lost, closed_for() naming the job, last_error() why).
  void stop(pq_job& job, stop_reason why, bool detach);
  // The serial of the job whose unanswered cancel closed this connection, 0 when none did.
  std::uint64_t closed_for() const noexcept { return closed_for_; }
  void set_cancel_grace(std::chrono::milliseconds grace) noexcept { cancel_grace_ = grace; }
  // Up to `n` reads (pq_job::read) sent one after another share one sync point, sent once the
  // executor has run what was queued when the first was submitted (or at once when the n-th
  // is); 1: each job has its own. Never in pooler mode, where each job is its own transaction.
  void set_reads_per_sync(std::size_t n) noexcept { reads_per_sync_ = n == 0 ? 1 : n; }
  // Forgets that `s` is prepared here (after a stale-statement error).
  void forget(const statement& s) noexcept;

  // Closes the connection; jobs in flight complete with `reason`, last_error() says `why`
  // when it is not empty. The observer is not told.
  void close(boost::system::error_code reason, std::string why = {});

  bool ready() const noexcept { return ready_ && !closed_; }
  // Whether a job submitted now joins the flight in progress. Always, except in pooler mode:
  // a transaction pooler keeps its server connection for this client while jobs of it are in
  // flight, so a connection that took jobs without pause would hold that server connection for
  // good, and other clients of the pooler would wait for it forever. There, jobs go in
  // batches: a batch takes the jobs submitted while the executor runs what is already queued
  // when it starts (a burst), then the connection takes no job until all are answered.
  bool accepting() const noexcept { return pipe_.empty() || batch_open_; }
  bool closed() const noexcept { return closed_; }
  std::size_t in_flight() const noexcept { return pipe_.size(); }
  const std::string& server() const noexcept { return info_->server(); }
  // libpq's last error text for this connection (e.g. why it broke), without trailing newline.
  const std::string& last_error() const noexcept { return last_error_; }
  // The connection attempt failed because the server did not answer within its timeout (as
  // opposed to refusing it or failing otherwise).
  bool connect_timed_out() const noexcept { return connect_timed_out_; }
  // The cancel requests this connection has sent, and those of them that have completed (the
  // server signalled its backend). A job sent while a request had not completed may be hit
  // by it, though another job was meant (a spurious 57014): cancels_sent() now is greater than
  // cancels_done() was when the job was sent. The backend drops a cancel that arrives while it
  // reads the next message, so a job sent once every request has completed is never hit.
  std::uint64_t cancels_sent() const noexcept { return cancels_sent_; }
  std::uint64_t cancels_done() const noexcept {
    return cancels_done_->load(std::memory_order_acquire);
  }

  // In pooler mode: the pooler refused to find this connection a server (refused_by_pooler), so
  // none of the jobs it had not answered before reached a server. It closes the connection.
  bool pooler_refused() const noexcept { return pooler_refused_; }

  // Free slot for the owner (the pool) to keep per-connection data.
  std::size_t slot = 0;

 private:
  // connection_connect.cpp
  void connect_step(PostgresPollingStatusType wanted);
  void connect_finished(boost::system::error_code ec);
  bool rebind_socket();
  void close_socket() noexcept;
  // connection.cpp
  bool send(pq_job& job, bool share);
  bool close_group();
  void schedule_group_close();
  bool send_pooled(pq_job& job);
  bool send_prepare(pq_job& job, const char* name);
  bool send_rest(pq_job& job, const char* name);
  void cork();
  void open_batch();
  bool set_cork(bool on);
  void after_completions(bool release_cork);
  void flush();
  void start_write_wait();
  void start_read_wait();
  void on_readable(boost::system::error_code ec);
  void drain();
  void take_result(pq_job& job, result_handle r);
  void note_pooler_refusal(const PGresult* r);
  void finish_head();
  // connection_cancel.cpp
  void cancel_at_turn(std::uint64_t serial);
  void send_cancel(std::uint64_t serial, std::chrono::steady_clock::time_point first);
  void on_cancel_timer(std::uint64_t serial, std::chrono::steady_clock::time_point first);
  // connection.cpp
  void fail(boost::system::error_code ec);
  void teardown(boost::system::error_code reason);
  void fail_jobs(boost::system::error_code ec);
  void record_error();

  boost::asio::any_io_executor ex_;
  std::shared_ptr<const conninfo> info_;
  std::shared_ptr<blocking_worker> worker_;
  boost::asio::posix::stream_descriptor socket_;
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer cancel_timer_;
  conn_handle conn_;
  std::shared_ptr<PGcancel> cancel_;
  connection_observer* observer_ = nullptr;
  connect_handler on_connect_;
  pipeline pipe_;
  std::vector<std::uint32_t> prepared_;  // statement id -> name number (0: not prepared)
  std::uint32_t next_name_ = 0;
  std::uint64_t closed_for_ = 0;
  std::chrono::milliseconds cancel_grace_{5000};
  std::size_t reads_per_sync_ = 1;
  std::size_t group_size_ = 0;      // reads sent since the last sync point
  std::uint64_t groups_ = 0;        // groups of reads that shared a sync point, so far
  std::uint32_t orphan_syncs_ = 0;  // sync points sent after every job was answered
  bool close_posted_ = false;       // a task that sends the open group's sync point is queued
  // How long a job stopped before its turn may run once its turn comes before it is cancelled.
  static constexpr std::chrono::milliseconds turn_delay{50};
  std::string last_error_;
  bool connect_timed_out_ = false;
  bool pooler_refused_ = false;
  bool batch_open_ = true;  // pooler mode: jobs submitted now join the flight (accepting())
  std::uint64_t cancels_sent_ = 0;
  // Counted by the worker thread when PQcancel has returned.
  std::shared_ptr<std::atomic<std::uint64_t>> cancels_done_ =
      std::make_shared<std::atomic<std::uint64_t>>(0);
  bool ready_ = false;
  bool closed_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool corked_ = false;   // TCP_CORK set: released by a posted task or after completions
  bool can_cork_ = true;  // false once setting TCP_CORK failed (not TCP)
};

}  // namespace pgfns::detail

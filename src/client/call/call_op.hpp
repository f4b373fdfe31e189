// One call of a method, from the checks to the completion handler: choose a pool, wait for a
// connection, describe the statement the first time, execute it, and decide what a failure
// means (retry a read once on another connection, report a lost write as outcome_unknown,
// re-prepare a stale statement once), and fail it when its deadline passes. Owns itself:
// deleted when it completes.
#pragma once

#include "client/call/deadline_list.hpp"
#include "client/database_core.hpp"
#include "client/pq/pool.hpp"
#include "client/pq/pq_job.hpp"
#include "values/param_buffer.hpp"

#include <pgfns/detail/call_initiation.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace pgfns::detail {

class call_op final : public pq_job, public pool_waiter, public deadline_entry {
 public:
  call_op(std::shared_ptr<database_core> db, const resolved_method* method,
          std::string unknown_name, bool allow_deprecated, boost::json::value args,
          call_handler handler);
  // On the database's executor. May complete (and delete this) before returning.
  void start();
  // The first describe of this call's statement, made by another call, has ended. `ec` is a
  // server error (this call would get the same: it fails with it) or success/connection loss
  // (this call carries on).
  void on_statement_described(boost::system::error_code ec, const diagnostics& diag);

 private:
  enum class phase { created, waiting_for_describe, queued, running, done };

  void on_acquired(connection& c) override;
  void on_acquire_failed(boost::system::error_code ec) override;
  void on_job_done(connection& c) override;
  void on_deadline() override;

  bool encode_arguments();
  void proceed();
  void acquire();
  void release_describe_waiters(boost::system::error_code ec);
  void send(connection& c);
  void on_described(connection& c);
  void on_failure(connection& c);
  void on_lost_connection(connection& c);
  void cancel();
  void finish_timed_out();
  std::string deadline_text() const;
  void take_server_error(const PGresult* r);
  void finish(boost::system::error_code ec);
  std::string_view name() const noexcept;

  std::shared_ptr<database_core> db_;
  const resolved_method* method_;
  std::string unknown_name_;
  bool allow_deprecated_;
  boost::json::value args_;
  call_handler handler_;
  pgfns::result result_;
  param_buffer params_;
  statement* stmt_ = nullptr;
  pool* pool_ = nullptr;        // the pool of the current attempt
  connection* conn_ = nullptr;  // while a job is in flight
  phase phase_ = phase::created;
  bool encoded_ = false;
  bool describing_ = false;  // the call describing stmt_ for the calls waiting on it
  bool cancelled_ = false;
  bool timed_out_ = false;
  bool lost_retry_used_ = false;
  bool stale_retry_used_ = false;
  bool spurious_cancel_retry_used_ = false;
  int attempts_ = 0;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace pgfns::detail

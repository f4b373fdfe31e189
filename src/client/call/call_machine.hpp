// The life of one call, without I/O: it takes events (started, described, connection acquired
// or refused, the job's outcome, cancel, deadline) and returns what to do next. Every rule that
// decides a call's outcome lives here, unit-tested without a server:
//
//  - a call the server never received that is stopped (cancel or deadline) completes at once
//    with operation_aborted or call_timeout;
//  - a sent read that is stopped completes at once the same way; its answer is discarded when
//    it arrives (detach) and the server is asked to stop it when it is the one running;
//  - a sent write that is stopped is stopped on the server when its turn comes and completes
//    with its real result: success, the server's error (57014 when the cancel stopped it: it
//    did not happen; after a deadline that is call_timeout), or outcome_unknown when the
//    connection had to be closed. Never operation_aborted;
//  - a read whose connection was lost is sent again once; a lost write is outcome_unknown;
//  - a stale prepared statement is prepared again once; a cancel meant for another job that
//    hit this one (it did not run to its end) is retried, each time a cancel request may have
//    hit it (at most max_stray_cancel_retries).
//
// call_op performs the actions on pools and connections.
#pragma once

#include "client/pq/pipeline.hpp"

#include <boost/system/error_code.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace pgfns::detail {

enum class call_kind : std::uint8_t { read, write };

enum class call_phase : std::uint8_t {
  created,
  waiting_for_describe,    // another call describes the statement
  waiting_for_connection,  // in a pool's queue (or about to take a connection)
  sent,                    // a job is on a connection
  done,
};

// The statement's state when the call needs it.
enum class statement_state : std::uint8_t {
  described,           // its parameter types are known
  describe_here,       // this call describes it (the first to need it)
  described_elsewhere  // another call is describing it
};

// What came back for a sent job.
struct job_outcome {
  enum class kind : std::uint8_t { ok, server_error, lost };
  kind what = kind::ok;
  std::string_view sqlstate;           // server_error
  std::string_view message;            // server_error: the primary message; lost: why it closed
  bool own_cancel_unanswered = false;  // lost: closed because this job's cancel went unanswered
  bool shut_down = false;              // lost: the database is closing
  // server_error: a cancel request of the connection had not completed when the job was sent
  // (connection::cancels_sent), so a 57014 may be that request, meant for another job.
  bool recent_cancel = false;
  bool connection_ready = true;  // ok after a describe: the connection takes the next job
  // lost: a transaction pooler refused to find the job a server connection (failure_kind.hpp
  // refused_by_pooler): it never reached a server.
  bool never_sent = false;
};

enum class call_action : std::uint8_t {
  none,               // wait for the next event
  wait_for_describe,  // wait for the call that describes the statement
  acquire,            // take a connection of the pool for the method's mode, then send
  send,               // send the next job (the execution) on the same connection
  stop_on_server,     // ask the connection to stop the sent job (`stop`); keep waiting
  finish,             // complete the call with `ec`
};

struct call_step {
  call_action action = call_action::none;
  boost::system::error_code ec;          // finish
  std::string message;                   // finish: the message, when pgfns explains the failure
  bool keep_server_diag = false;         // finish: the server's diagnostics stay (message prefixed)
  stop_reason stop = stop_reason::none;  // stop_on_server, or finish of a sent read: why
  bool detach = false;       // finish while sent: discard the answer, stop the job on the server
  bool leave_queue = false;  // finish while waiting: leave the pool's or the describe queue
  // To do before the action:
  bool retire_connection = false;        // the connection is broken or its server was demoted
  bool forget_statement = false;         // the connection must prepare the statement again
  bool release_waiters = false;          // this call's describe ended: tell the calls waiting on it
  boost::system::error_code waiters_ec;  // with release_waiters: fail them with this (or go on)
};

struct call_limits {
  call_kind kind = call_kind::read;
  long long call_timeout_ms = 0;
  long long acquire_timeout_ms = 0;
  bool read_fallback = true;
};

class call_machine {
 public:
  explicit call_machine(call_limits limits) noexcept : limits_(limits) {}

  call_phase phase() const noexcept { return phase_; }
  bool describing() const noexcept { return describing_; }
  // The job to send with `acquire`/`send`: a describe (true) or the execution.
  bool sends_describe() const noexcept { return describing_; }
  int attempts() const noexcept { return attempts_; }
  call_kind kind() const noexcept { return limits_.kind; }
  stop_reason stopped() const noexcept { return stop_; }

  call_step start(statement_state s);
  // The describe this call waited for ended: `ec` is a server error about the statement (this
  // call would get the same), or success.
  call_step describe_ended(boost::system::error_code ec, statement_state s);
  // A connection was acquired (the job is about to be sent on it).
  call_step acquired() noexcept;
  // Completes the call now with `ec`: a refusal before any SQL (checks, arguments that cannot
  // be encoded) or a result that cannot be read.
  call_step fail(boost::system::error_code ec, std::string message);
  // No connection: `ec` is pool_timeout, server_unavailable or shut_down.
  call_step acquire_failed(boost::system::error_code ec, std::string_view pool,
                           std::string_view last_error);
  call_step job_done(const job_outcome& o);
  // `pool` (and `last_error`) say where a call waiting for a connection waited.
  call_step cancel(std::string_view pool = {});
  call_step deadline(std::string_view pool = {}, std::string_view last_error = {});

  // "the call's deadline passed (call_timeout 500 ms)"
  std::string deadline_text() const;

 private:
  call_step stop(stop_reason why, std::string_view pool, std::string_view last_error);
  call_step after_statement(statement_state s);
  call_step retry();
  call_step finish(boost::system::error_code ec, std::string message = {});
  call_step on_server_error(const job_outcome& o);
  call_step on_lost(const job_outcome& o);
  std::string stop_text() const;
  boost::system::error_code stop_error() const;

  call_limits limits_;
  call_phase phase_ = call_phase::created;
  stop_reason stop_ = stop_reason::none;
  bool describing_ = false;
  bool executing_ = false;  // the job sent is the execution
  bool lost_retry_used_ = false;
  bool stale_retry_used_ = false;
  // Runs again after a cancel meant for another job stopped this one. Each needs a cancel
  // request that had not completed when it was sent; the bound is a guard, never reached by
  // the cancels of a connection's own callers in practice.
  int stray_cancel_retries_ = 0;
  static constexpr int max_stray_cancel_retries = 16;
  int attempts_ = 0;
};

}  // namespace pgfns::detail

// One call of a method: performs what its call_machine decides (call_machine.hpp holds every
// rule) on the database's pools, connections and statement cache, and completes the handler.
// A call of database::call carries JSON arguments and returns JSON rows; a typed call
// (pgfns/typed_call.hpp) carries a typed_codec that writes the parameters, reads the rows and
// holds the diagnostics itself, and otherwise takes the same path.
//
// Owned by a shared_ptr it keeps to itself from start() until it is complete and its job has
// left its connection's pipeline (a stopped read completes first, and its job stays in the
// pipeline until the server has answered it); once complete, also by its pending completion
// (a completion batch or a posted function) until its handler has run.
#pragma once

#include "client/call/call_machine.hpp"
#include "client/call/call_rules.hpp"
#include "client/call/deadline_list.hpp"
#include "client/completion_batch.hpp"
#include "client/database_core.hpp"
#include "client/pq/pool.hpp"
#include "client/pq/pq_job.hpp"
#include "values/param_buffer.hpp"

#include <pgfns/typed_call.hpp>

#include <pgfns/detail/call_initiation.hpp>

#include <boost/asio/cancellation_signal.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace pgfns::detail {

class call_op final : public pq_job,
                      public pool_waiter,
                      public route_waiter,
                      public deadline_entry,
                      public pending_completion {
 public:
  call_op(std::shared_ptr<database_core> db, const resolved_method* method,
          std::string unknown_name, bool allow_deprecated, call_options options,
          boost::json::value args, call_handler handler, bool on_io);
  // A typed call of `method` (nullptr when the schema has no method binding.name); `codec`
  // lives until the handler is invoked or destroyed.
  call_op(std::shared_ptr<database_core> db, const resolved_method* method,
          const method_binding& binding, call_options options, typed_codec& codec,
          typed_call_handler handler, bool on_io);
  // On the database's executor; `self` owns this. May complete before returning.
  void start(std::shared_ptr<call_op> self);
  // The first describe of this call's statement, made by another call, has ended. `ec` is a
  // server error (this call would get the same: it fails with it) or success/connection loss
  // (this call carries on).
  void on_statement_described(boost::system::error_code ec, const diagnostics& diag);

 private:
  void on_acquired(connection& c) override;
  void on_acquire_failed(boost::system::error_code ec) override;
  void on_job_done(connection& c) override;
  void on_deadline() override;
  void on_route_ready() override { acquire(); }
  void complete() override;

  rule_check check_call() const;
  statement_state statement_now();
  void apply(call_step step);
  void acquire();
  void send(connection& c);
  bool encode_arguments();
  bool encode_typed_arguments();
  void read_rows(const PGresult* r);
  job_outcome outcome_of(connection& c);
  void release_describe_waiters(boost::system::error_code ec);
  void take_server_error(const PGresult* r);
  void finish(call_step& step);
  std::string_view name() const noexcept;
  boost::asio::cancellation_slot cancellation_slot() const noexcept;

  std::shared_ptr<database_core> db_;
  const resolved_method* method_;
  std::string unknown_name_;
  bool allow_deprecated_;
  call_options options_;
  boost::json::value args_;                  // database::call
  const method_binding* binding_ = nullptr;  // a typed call, with codec_
  typed_codec* codec_ = nullptr;
  call_handler handler_;              // database::call
  typed_call_handler typed_handler_;  // a typed call
  bool handler_on_io_;                // the handler runs on the database's executor (runs_on)
  pgfns::result result_;              // database::call: its rows and diagnostics
  diagnostics* diag_;                 // the call's diagnostics: in result_, or a typed call's codec
  boost::system::error_code ec_;      // what the call completes with, once finished
  param_buffer params_;
  call_machine machine_;
  statement* stmt_ = nullptr;
  pool* pool_ = nullptr;        // the pool of the current attempt
  connection* conn_ = nullptr;  // the connection of the job in flight
  // The connection's cancels_done() when this call's job was last sent on it.
  std::uint64_t cancels_done_at_send_ = 0;
  std::shared_ptr<call_op> self_;
  bool encoded_ = false;
  std::chrono::steady_clock::time_point started_;
};

}  // namespace pgfns::detail

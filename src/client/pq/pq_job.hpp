// One unit of work for a connection, answered at its own sync point, or, for a read, at a sync
// point it shares with the reads sent right after it (connection::set_reads_per_sync):
// optionally describe a prepared statement, optionally execute it (or run a one-off SQL text
// without parameters).
// The connection prepares the statement first when it has not done so yet (in pooler mode: with
// every job, unnamed, after the settings' guard statement).
#pragma once

#include "client/pq/pipeline.hpp"
#include "client/pq/statement.hpp"
#include "common/pq_handle.hpp"

#include <boost/system/error_code.hpp>

#include <cstdint>

namespace pgfns::detail {

class connection;

class pq_job : public pipeline_entry {
 public:
  // What to send (set by the owner before connection::submit).
  const statement* stmt = nullptr;  // the prepared statement to describe or execute
  const char* sql = nullptr;        // when stmt is null: one-off text, no parameters
  bool describe = false;            // learn stmt's parameter types (describe_result)
  bool execute = true;              // execute stmt (or sql) with the parameters below
  int nparams = 0;
  const char* const* param_values = nullptr;  // text format, nullptr = SQL NULL
  // It has no effects: it may share a sync point with other reads. When one of them fails,
  // the server skips those after it up to the sync point; the connection sends those again.
  bool read = false;

  // What came back (set by the connection before on_job_done).
  result_handle result;           // the execution's result (tuples or command ok)
  result_handle describe_result;  // PQnparams/PQparamtype of stmt
  result_handle error;            // the first error the server reported for this job
  boost::system::error_code ec;   // set when the connection failed before the sync point

  // Called once, on the connection's executor, after the job's sync point (or failure); also
  // for a detached job (see pipeline_entry), whose owner then only lets it go.
  virtual void on_job_done(connection& c) = 0;

 protected:
  ~pq_job() = default;

 private:
  friend class connection;
  enum step : std::uint8_t { guard_step, prepare_step, describe_step, execute_step };
  step steps_[4] = {};
  std::uint8_t nsteps_ = 0;
  std::uint8_t next_step_ = 0;
  std::uint8_t aborted_steps_ = 0;   // steps the server skipped (an earlier error before the sync)
  bool shares_sync_ = false;         // a later job's sync point ends its transaction
  std::uint32_t syncs_before_ = 0;   // sync points owned by no job that come before its results
  std::uint32_t prepared_name_ = 0;  // the name this job prepared stmt under, 0 when none
  void reset_outcome() noexcept;
};

}  // namespace pgfns::detail

// Pipeline I/O: sending jobs, flushing, the reader that answers jobs in order, cancel, failure.
#include "client/pq/connection.hpp"

#include "client/completion_batch.hpp"
#include "client/pq/pooler_refusal.hpp"

#include <pgfns/error.hpp>

#include <boost/asio/post.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <charconv>
#include <utility>

namespace pgfns::detail {
namespace {

using name_buffer = char[16];

// "p<n>": the name a connection gave the statement it prepared n-th.
const char* statement_name(name_buffer& buf, std::uint32_t n) {
  buf[0] = 'p';
  *std::to_chars(buf + 1, buf + sizeof buf - 1, n).ptr = '\0';
  return buf;
}

}  // namespace

void pq_job::reset_outcome() noexcept {
  result.reset();
  describe_result.reset();
  error.reset();
  ec.clear();
  reset_pipeline_state();
  nsteps_ = next_step_ = aborted_steps_ = 0;
  shares_sync_ = false;
  syncs_before_ = 0;
  prepared_name_ = 0;
}

connection::connection(boost::asio::any_io_executor ex, std::shared_ptr<const conninfo> info,
                       std::shared_ptr<blocking_worker> worker)
    : ex_(ex),
      info_(std::move(info)),
      worker_(std::move(worker)),
      socket_(ex),
      connect_timer_(ex),
      cancel_timer_(ex) {}

connection::~connection() {
  close_socket();
}

void connection::submit(pq_job& job) {
  job.reset_outcome();
  if (info_->pooler() && pipe_.empty()) open_batch();
  const bool share = job.read && job.execute && reads_per_sync_ > 1 && !info_->pooler();
  if (!pipe_.empty() && !share) cork();  // a shared sync point sends the reads in one write
  // A failure here is reported from the executor, never from inside submit().
  bool sent = share || close_group();
  job.syncs_before_ = std::exchange(orphan_syncs_, 0);
  pipe_.push(job, share ? (group_size_ == 0 ? ++groups_ : groups_) : 0);
  sent = sent && send(job, share);
  if (sent && share) {
    // Nothing leaves before the group's sync point (libpq holds what a pipeline sends until
    // then, or until 64 KB are waiting).
    if (++group_size_ < reads_per_sync_) return schedule_group_close();
    sent = close_group();
  }
  const int flushed = sent ? PQflush(conn_.get()) : -1;
  if (flushed < 0) {
    record_error();
    ready_ = false;
    boost::asio::post(ex_, [self = shared_from_this()] { self->fail(errc::connection_lost); });
  } else if (flushed == 1) {
    start_write_wait();
  }
}

// Sends `job` with its own sync point, or without one when it `share`s the next.
bool connection::send(pq_job& job, bool share) {
  if (info_->pooler()) return send_pooled(job) && PQpipelineSync(conn_.get()) == 1;
  name_buffer buf;
  const char* name = nullptr;
  if (const statement* s = job.stmt) {
    if (prepared_.size() <= s->id) prepared_.resize(s->id + 1, 0);
    if (prepared_[s->id] == 0) {
      prepared_[s->id] = job.prepared_name_ = ++next_name_;
      name = statement_name(buf, job.prepared_name_);
      if (!send_prepare(job, name)) return false;
    } else {
      name = statement_name(buf, prepared_[s->id]);
    }
  }
  if (!send_rest(job, name)) return false;
  // A read sharing a sync point asks for no flush either: the server answers the group at its
  // sync point, in one write (see pipeline.hpp for what this means for a cancel).
  job.shares_sync_ = share;
  return share || PQpipelineSync(conn_.get()) == 1;
}

// Sends the sync point of the reads sent since the last one, if any. The last of them ends with
// it (when it has not been answered already: then no job does).
bool connection::close_group() {
  if (group_size_ == 0) return true;
  group_size_ = 0;
  if (pipe_.empty())
    ++orphan_syncs_;
  else
    static_cast<pq_job&>(pipe_.tail()).shares_sync_ = false;
  return PQpipelineSync(conn_.get()) == 1;
}

// The group's sync point leaves once the executor has run what is queued now: the reads that
// callers resumed together submit join it.
void connection::schedule_group_close() {
  if (close_posted_) return;
  close_posted_ = true;
  boost::asio::post(ex_, [self = shared_from_this()] {
    self->close_posted_ = false;
    if (self->closed_ || self->group_size_ == 0) return;
    if (!self->close_group()) {
      self->record_error();
      return self->fail(errc::connection_lost);
    }
    self->flush();
  });
}

// Behind a transaction pooler the next job may run on another server connection, where no
// setting and no prepared statement of this one exists: each job brings both, in one flight
// and one transaction (what its sync point ends): the guard statement, then its statement
// prepared unnamed.
bool connection::send_pooled(pq_job& job) {
  PGconn* c = conn_.get();
  if (!PQsendQueryParams(c, info_->guard_sql().c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0))
    return false;
  job.steps_[job.nsteps_++] = pq_job::guard_step;
  if (job.stmt && !send_prepare(job, "")) return false;
  return send_rest(job, job.stmt ? "" : nullptr);
}

bool connection::send_prepare(pq_job& job, const char* name) {
  const statement& s = *job.stmt;
  const Oid* types = s.described ? s.param_types.data() : nullptr;
  if (!PQsendPrepare(conn_.get(), name, s.text.c_str(), s.nparams, types)) return false;
  job.steps_[job.nsteps_++] = pq_job::prepare_step;
  return true;
}

// The describe and execute steps of `job`, whose statement is prepared as `name` (null: no
// statement, job.sql is run).
bool connection::send_rest(pq_job& job, const char* name) {
  PGconn* c = conn_.get();
  if (name && job.describe) {
    if (!PQsendDescribePrepared(c, name)) return false;
    job.steps_[job.nsteps_++] = pq_job::describe_step;
  }
  if (job.execute) {
    const int ok =
        name ? PQsendQueryPrepared(c, name, job.nparams, job.param_values, nullptr, nullptr, 0)
             : PQsendQueryParams(c, job.sql, 0, nullptr, nullptr, nullptr, nullptr, 0);
    if (!ok) return false;
    job.steps_[job.nsteps_++] = pq_job::execute_step;
  }
  return true;
}

// libpq sends every job at once (PQpipelineSync flushes), so a burst of pipelined calls would
// leave as one TCP segment per call, each waking the server. A job submitted while others are in
// flight is usually part of such a burst (completions resuming callers that each send their
// next call), so the socket is corked until the executor has run what is already queued: the
// burst then leaves as one segment. A lone call (nothing in flight) is never held back.
void connection::cork() {
  if (!corked_ && set_cork(true))
    boost::asio::post(ex_, [self = shared_from_this()] { self->set_cork(false); });
}

// Pooler mode: the batch a job starts on an idle connection takes what the executor runs
// before this posted task (see accepting()).
void connection::open_batch() {
  batch_open_ = true;
  boost::asio::post(ex_, [self = shared_from_this()] { self->batch_open_ = false; });
}

// Sets or releases TCP_CORK (releasing sends what it held); false when not set as asked.
bool connection::set_cork(bool on) {
  if (on == corked_ || closed_ || !can_cork_) return false;
  const int value = on ? 1 : 0;
  const bool ok =
      setsockopt(socket_.native_handle(), IPPROTO_TCP, TCP_CORK, &value, sizeof value) == 0;
  if (!ok) can_cork_ = false;  // not a TCP socket (a Unix-domain one): nothing to coalesce
  if (ok || !on) corked_ = on;
  return ok;
}

void connection::flush() {
  if (closed_) return;
  const int r = PQflush(conn_.get());
  if (r < 0) return fail(errc::connection_lost);
  if (r == 1) start_write_wait();
}

void connection::start_write_wait() {
  if (!writing_ && !closed_) {
    writing_ = true;
    socket_.async_wait(boost::asio::posix::stream_descriptor::wait_write,
                       [self = shared_from_this()](boost::system::error_code ec) {
                         self->writing_ = false;
                         if (self->closed_) return;
                         if (ec) return self->fail(errc::connection_lost);
                         self->flush();
                       });
  }
}

void connection::start_read_wait() {
  if (reading_ || closed_) return;
  reading_ = true;
  socket_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                     [self = shared_from_this()](boost::system::error_code ec) {
                       self->reading_ = false;
                       self->on_readable(ec);
                     });
}

void connection::on_readable(boost::system::error_code ec) {
  if (closed_) return;
  if (ec) return fail(errc::connection_lost);
  if (!PQconsumeInput(conn_.get())) {
    record_error();
    auto self = shared_from_this();
    drain();  // keeps the server's last words (e.g. 57P01) for the job they belong to
    return fail(errc::connection_lost);
  }
  while (PGnotify* n = PQnotifies(conn_.get())) PQfreemem(n);
  auto self = shared_from_this();  // a job's completion may close this connection
  completion_batch batch(ex_);
  drain();
  batch.close();
  // The callers resumed below typically send their next calls at once: several of them leave
  // as one segment.
  const bool held = batch.size() > 1 && set_cork(true);
  try {
    batch.run();
  } catch (...) {
    after_completions(held);
    throw;
  }
  after_completions(held);
}

void connection::after_completions(bool release_cork) {
  if (release_cork) set_cork(false);
  if (closed_) return;
  if (PQstatus(conn_.get()) == CONNECTION_BAD) return fail(errc::connection_lost);
  if (group_size_ == 0) flush();  // else the group's sync point flushes, reads and all
  start_read_wait();
}

void connection::drain() {
  int nulls = 0;
  while (!closed_ && !pipe_.empty() && !PQisBusy(conn_.get())) {
    result_handle r(PQgetResult(conn_.get()));
    if (!r) {
      // One null ends each command's results; two in a row mean libpq has nothing pending.
      if (++nulls > 1) return;
      continue;
    }
    nulls = 0;
    pq_job& head = static_cast<pq_job&>(pipe_.head());
    if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) {
      if (head.syncs_before_ > 0)
        --head.syncs_before_;  // a sync point sent when no job was waiting for one
      else
        finish_head();
      continue;
    }
    take_result(head, std::move(r));
    if (head.shares_sync_ && head.next_step_ >= head.nsteps_) finish_head();
  }
}

void connection::take_result(pq_job& job, result_handle r) {
  const auto status = PQresultStatus(r.get());
  const auto step =
      job.next_step_ < job.nsteps_ ? job.steps_[job.next_step_] : pq_job::execute_step;
  ++job.next_step_;
  if (status == PGRES_PIPELINE_ABORTED) {
    ++job.aborted_steps_;
    return;
  }
  if (status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE ||
      status == PGRES_NONFATAL_ERROR) {
    if (step == pq_job::prepare_step && job.prepared_name_ != 0 &&
        prepared_[job.stmt->id] == job.prepared_name_)
      prepared_[job.stmt->id] = 0;  // not prepared after all
    if (info_->pooler() && !pooler_refused_) note_pooler_refusal(r.get());
    if (!job.error) job.error = std::move(r);
    return;
  }
  if (step == pq_job::describe_step)
    job.describe_result = std::move(r);
  else if (step == pq_job::execute_step)
    job.result = std::move(r);
}

void connection::note_pooler_refusal(const PGresult* r) {
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  const char* message = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  pooler_refused_ = state && message && refused_by_pooler(state, message);
}

void connection::finish_head() {
  const pipeline::popped p = pipe_.pop();
  if (p.cancel_next) cancel_at_turn(p.cancel_next->serial());
  pq_job& job = *static_cast<pq_job*>(p.entry);
  // A read the server skipped, because a read before it up to their shared sync point failed,
  // never ran: it is sent again (its owner, when answered already, only lets it go).
  if (p.deliver && job.read && job.nsteps_ > 0 && job.aborted_steps_ == job.nsteps_ && !job.error)
    return submit(job);
  job.on_job_done(*this);
  if (!closed_ && observer_) observer_->on_job_finished(*this);
}

void connection::forget(const statement& s) noexcept {
  if (s.id < prepared_.size()) prepared_[s.id] = 0;
}

void connection::record_error() {
  last_error_ = info_->message(conn_ ? PQerrorMessage(conn_.get()) : "");
}

void connection::fail(boost::system::error_code ec) {
  if (closed_) return;
  if (last_error_.empty()) record_error();
  auto self = shared_from_this();
  teardown(ec);
  if (observer_) observer_->on_connection_lost(*this);  // before the jobs may retry elsewhere
  fail_jobs(ec);
}

void connection::close(boost::system::error_code reason, std::string why) {
  if (closed_) return;
  if (!why.empty()) last_error_ = std::move(why);
  auto self = shared_from_this();
  teardown(reason);
  fail_jobs(reason);
}

void connection::teardown(boost::system::error_code reason) {
  closed_ = true;
  ready_ = false;
  connect_timer_.cancel();
  cancel_timer_.cancel();
  close_socket();
  conn_.reset();
  if (on_connect_) {
    auto done = std::move(on_connect_);
    on_connect_ = nullptr;
    boost::asio::post(ex_, [self = shared_from_this(), done = std::move(done), reason] {
      done(reason, self->last_error_);
    });
  }
}

void connection::fail_jobs(boost::system::error_code ec) {
  auto self = shared_from_this();
  bool deliver = false;
  while (pipeline_entry* e = pipe_.take_front(deliver)) {
    pq_job& job = *static_cast<pq_job*>(e);
    job.ec = ec;
    job.on_job_done(*this);
  }
}

}  // namespace pgfns::detail

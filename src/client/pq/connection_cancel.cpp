// Stopping a job on the server: the cancel request, sent for the job the server runs (see
// pipeline.hpp), repeated while it runs, and the connection closed when it goes unanswered.
#include "client/pq/connection.hpp"

#include "client/completion_batch.hpp"

#include <pgfns/error.hpp>

#include <algorithm>

namespace pgfns::detail {

void connection::stop(pq_job& job, stop_reason why, bool detach) {
  if (closed_) return;
  if (pipeline_entry* e = pipe_.stop(job, why, detach))
    send_cancel(e->serial(), std::chrono::steady_clock::now());
}

// A job stopped before its turn usually ends quickly once its turn comes (after a server that
// stalled resumes, each job behind the stalled one would otherwise cost a cancel request: a
// connection to the server and, being late, a risk for the job after it). So the cancel is
// sent only if the job still runs a moment later.
void connection::cancel_at_turn(std::uint64_t serial) {
  cancel_timer_.expires_after(turn_delay);
  cancel_timer_.async_wait([self = shared_from_this(), serial](boost::system::error_code ec) {
    if (!ec && !self->closed_ && self->pipe_.still_running(serial))
      self->send_cancel(serial, std::chrono::steady_clock::now());
  });
}

// Sends a cancel request for the head `serial`, off the executor (PQcancel blocks). A request
// that reaches the server while it reads the next message is ignored, so it is sent again
// every second while the same job runs; when the grace period has passed with no answer,
// the server cannot be trusted with the jobs behind it and the connection is closed.
void connection::send_cancel(std::uint64_t serial, std::chrono::steady_clock::time_point first) {
  if (!cancel_) return;
  ++cancels_sent_;
  // Counted on the worker's thread (the connection and its executor may be gone by then).
  worker_->post([c = cancel_, done = cancels_done_] {
    char err[256];
    PQcancel(c.get(), err, sizeof err);  // on failure the job simply runs to its end
    done->fetch_add(1, std::memory_order_release);
  });
  const auto next = std::min<std::chrono::steady_clock::duration>(
      std::chrono::seconds(1), first + cancel_grace_ - std::chrono::steady_clock::now());
  cancel_timer_.expires_after(next);
  cancel_timer_.async_wait(
      [self = shared_from_this(), serial, first](boost::system::error_code ec) {
        if (!ec) self->on_cancel_timer(serial, first);
      });
}

void connection::on_cancel_timer(std::uint64_t serial,
                                 std::chrono::steady_clock::time_point first) {
  if (closed_ || !pipe_.still_running(serial)) return;
  if (std::chrono::steady_clock::now() < first + cancel_grace_) return send_cancel(serial, first);
  // The answer may be waiting in the socket, behind this timer in the executor's queue.
  if (!PQconsumeInput(conn_.get())) {
    record_error();
    return fail(errc::connection_lost);
  }
  {
    auto self = shared_from_this();
    completion_batch batch(ex_);
    drain();
    batch.close();
    batch.run();
    if (closed_ || !pipe_.cancel_unanswered(serial)) return;
  }
  closed_for_ = serial;
  last_error_ = pipe_.unanswered_reason(cancel_grace_.count());
  fail(errc::connection_lost);
}

}  // namespace pgfns::detail

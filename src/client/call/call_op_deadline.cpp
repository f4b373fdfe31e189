// A call whose deadline (call_timeout) passed: where it was decides how it ends.
#include "client/call/call_op.hpp"

#include <pgfns/error.hpp>

namespace pgfns::detail {

std::string call_op::deadline_text() const {
  return "the call's deadline passed (call_timeout " +
         std::to_string(db_->options().call_timeout.count()) + " ms)";
}

void call_op::on_deadline() {
  timed_out_ = true;
  std::string& message = result_.diag.message;
  switch (phase_) {
    case phase::queued:
      pool_->cancel_wait(*this);
      message = deadline_text() + " while it waited for a connection of the " +
                std::string(to_string(pool_->role())) + " pool; it was not sent";
      if (!pool_->last_error().empty()) message += " (" + pool_->last_error() + ")";
      return finish(errc::call_timeout);
    case phase::waiting_for_describe:
      db_->cancel_describe_wait(*stmt_, *this);
      message = deadline_text() + " while it waited for its statement's first describe";
      return finish(errc::call_timeout);
    case phase::running:
      // A server that did not answer in time may not answer the next call either: the
      // connection is closed (after a cancel request, so that a live server stops the work)
      // and the call completes through on_lost_connection.
      if (conn_) {
        connection& c = *conn_;
        c.cancel(*this);
        pool_->retire(c);
      }
      return;
    case phase::created:
    case phase::done:
      return;
  }
}

void call_op::finish_timed_out() {
  result_.diag = {};  // the deadline is the news, not what the closing connection said
  if (execute && method_->definition.mode == method_mode::write) {
    result_.diag.message =
        deadline_text() + " while a write call ran; outcome unknown (the connection was closed)";
    return finish(errc::outcome_unknown);
  }
  result_.diag.message = deadline_text() + " while it ran; the connection was closed";
  finish(errc::call_timeout);
}

}  // namespace pgfns::detail

// Every order of events, without a server: a call (read or write; alone on its connection or
// pipelined behind another call; with or without a first describe) meets every sequence of
// {connection acquired, answer, error, cancel's answer, cancel, deadline, connection lost,
// the other call's cancel, an unanswered cancel} up to a length, then the server answers what
// is left. The call machine and the pipeline run together as call_op and connection run them.
// Checked for every sequence:
//  - the call completes exactly once;
//  - its code is one the rules allow: operation_aborted only for a cancelled call that is a
//    read or whose execution was not in flight; success only when its answer came; a write
//    reports anything but success or outcome_unknown only if it did not commit;
//    outcome_unknown only for a write whose execution was in flight when its connection
//    closed; call_timeout and any "deadline" message only after its deadline;
//  - a cancel request is sent only for the head of the pipeline, and only for a stopped job;
//  - the other call is never failed by this call's cancel or deadline.
#include "client/call/call_machine.hpp"
#include "client/pq/pipeline.hpp"

#include <pgfns/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <memory>
#include <string>
#include <vector>

using namespace pgfns::detail;

namespace {

enum class ev {
  acquire,           // the pool hands the call a connection
  answer_ok,         // the server answers the head of the pipeline
  answer_error,      // the server answers the head with an error (23505)
  answer_cancelled,  // the server answers the head with 57014 (a cancel reached it)
  cancel,            // the caller cancels the call
  deadline,          // the call's deadline passes
  lost,              // the connection breaks
  other_cancel,      // the other call's caller cancels it
  grace,             // the grace period after the head's cancel passes, unanswered
};
constexpr std::array all_events = {
    ev::acquire, ev::answer_ok,    ev::answer_error, ev::answer_cancelled, ev::cancel, ev::deadline,
    ev::lost,    ev::other_cancel, ev::grace};
constexpr std::string_view user_cancel = "canceling statement due to user request";

struct sim_job final : pipeline_entry {
  bool is_x = false;
  bool describe = false;
  void reset() noexcept { reset_pipeline_state(); }
};

struct config {
  call_kind kind;
  bool behind_other;
  bool describe_first;
};

class world {
 public:
  explicit world(config c) : cfg_(c), x_(limits(c.kind)) {
    xj_.is_x = true;
    xj_.label = "x";
    yj_.label = "y";
    if (cfg_.behind_other) {
      pipe_->push(yj_);
      y_in_ = true;
    }
    apply(x_.start(cfg_.describe_first ? statement_state::describe_here
                                       : statement_state::described));
  }
  world(const world&) = delete;
  world& operator=(const world&) = delete;
  ~world() { pipe_.reset(); }

  bool applicable(ev e) {
    switch (e) {
      case ev::acquire:
        return x_.phase() == call_phase::waiting_for_connection;
      case ev::answer_ok:
      case ev::answer_error:
      case ev::lost:
        return !pipe_->empty();
      case ev::answer_cancelled:
        return !pipe_->empty() &&
               (pipe_->head().cancel_sent() || (&pipe_->head() == &xj_ && stray_armed_));
      case ev::cancel:
        return !cancelled_ && completions_ == 0;
      case ev::deadline:
        return !deadlined_ && completions_ == 0;
      case ev::other_cancel:
        return y_in_ && !y_cancelled_;
      case ev::grace:
        return !pipe_->empty() && pipe_->cancel_unanswered(pipe_->head().serial());
    }
    return false;
  }

  void run(ev e) {
    switch (e) {
      case ev::acquire:
        return apply(x_.acquired());
      case ev::answer_ok:
        return answer({});
      case ev::answer_error: {
        job_outcome o;
        o.what = job_outcome::kind::server_error;
        o.sqlstate = "23505";
        o.message = "duplicate key value violates unique constraint";
        return answer(o);
      }
      case ev::answer_cancelled: {
        job_outcome o;
        o.what = job_outcome::kind::server_error;
        o.sqlstate = "57014";
        o.message = user_cancel;
        o.recent_cancel = cancel_sent_here_;
        // A cancel request stops one statement: once y's has stopped x, it is spent.
        if (&pipe_->head() == &xj_ && !xj_.cancel_sent()) stray_armed_ = false;
        return answer(o);
      }
      case ev::cancel:
        cancelled_ = true;
        return apply(x_.cancel());
      case ev::deadline:
        deadlined_ = true;
        return apply(x_.deadline("write", ""));
      case ev::lost:
        return close(0, "server closed the connection unexpectedly");
      case ev::other_cancel:
        y_cancelled_ = true;
        if (pipe_->stop(yj_, stop_reason::cancel, false)) cancel_sent(yj_);
        return;
      case ev::grace: {
        const std::uint64_t serial = pipe_->head().serial();
        return close(serial, pipe_->unanswered_reason(5000));
      }
    }
  }

  // The server answers whatever is left until the call completes.
  void finish_up() {
    for (int i = 0; i < 50 && completions_ == 0; ++i) {
      if (applicable(ev::acquire))
        run(ev::acquire);
      else if (!pipe_->empty())
        run(ev::answer_ok);
      else
        break;
    }
    if (completions_ != 1) fail("completed " + std::to_string(completions_) + " times");
  }

  const std::vector<std::string>& violations() const { return violations_; }

 private:
  static call_limits limits(call_kind kind) {
    call_limits l;
    l.kind = kind;
    l.call_timeout_ms = 500;
    l.acquire_timeout_ms = 100;
    return l;
  }

  void fail(std::string what) { violations_.push_back(std::move(what)); }

  void cancel_sent(sim_job& j) {
    if (pipe_->empty() || &pipe_->head() != &j) fail("a cancel was sent for a job not at the head");
    if (j.stop() == stop_reason::none) fail("a cancel was sent for a job nobody stopped");
    cancel_sent_here_ = true;
    if (!j.is_x) stray_armed_ = true;  // it may reach the server late and stop x
  }

  void answer(const job_outcome& o) {
    const pipeline::popped p = pipe_->pop();
    if (p.cancel_next) cancel_sent(static_cast<sim_job&>(pipe_->head()));
    auto& j = static_cast<sim_job&>(*p.entry);
    if (!j.is_x) {
      y_in_ = false;
      stray_armed_ = stray_armed_ && o.what == job_outcome::kind::ok;
      if (o.sqlstate == "57014" && !y_cancelled_) fail("the other call was cancelled by this one");
      return;
    }
    const bool execution = !j.describe;
    if (execution) {
      x_in_flight_ = false;
      if (o.what == job_outcome::kind::ok && cfg_.kind == call_kind::write) committed_ = true;
    }
    if (!p.deliver) return;  // detached: discarded
    if (execution && o.what == job_outcome::kind::ok) answered_ok_ = true;
    apply(x_.job_done(o));
  }

  void close(std::uint64_t closed_for, const std::string& why) {
    bool x_delivered = false, x_execution = false, deliver = false;
    while (pipeline_entry* e = pipe_->take_front(deliver)) {
      auto& j = static_cast<sim_job&>(*e);
      if (!j.is_x) {
        y_in_ = false;
        if (closed_for != 0 && closed_for != j.serial())
          fail("the other call lost its connection to this call's unanswered cancel");
        continue;
      }
      x_delivered = deliver;
      x_execution = !j.describe;
    }
    pipe_ = std::make_unique<pipeline>();  // the next connection
    stray_armed_ = cancel_sent_here_ = false;
    if (x_execution) {
      lost_in_flight_ = x_in_flight_;
      x_in_flight_ = false;
    }
    if (!x_delivered) return;
    job_outcome o;
    o.what = job_outcome::kind::lost;
    o.message = why;
    o.own_cancel_unanswered = closed_for != 0 && closed_for == xj_.serial();
    apply(x_.job_done(o));
  }

  void apply(call_step s) {
    switch (s.action) {
      case call_action::none:
      case call_action::wait_for_describe:
      case call_action::acquire:
        return;
      case call_action::send:
        xj_.reset();
        xj_.describe = x_.sends_describe();
        if (!xj_.describe) x_in_flight_ = true;
        pipe_->push(xj_);
        return;
      case call_action::stop_on_server:
        if (cfg_.kind == call_kind::read) fail("a read waits for its stop on the server");
        if (pipe_->stop(xj_, s.stop, false)) cancel_sent(xj_);
        return;
      case call_action::finish:
        check_completion(s);
        if (s.detach && pipe_->stop(xj_, s.stop, true)) cancel_sent(xj_);
        return;
    }
  }

  void check_completion(const call_step& s) {
    ++completions_;
    const bool write = cfg_.kind == call_kind::write;
    const auto& ec = s.ec;
    const std::string code = ec ? ec.message() : "success";
    if (s.message.find("deadline") != std::string::npos && !deadlined_)
      fail("a deadline message without a deadline: " + s.message);
    if (write && ec && ec != pgfns::errc::outcome_unknown && committed_)
      fail("a write that committed reported " + code);
    if (ec == boost::asio::error::operation_aborted) {
      if (!cancelled_) fail("operation_aborted without a cancel");
      if (write && x_in_flight_) fail("operation_aborted for a write in flight");
    } else if (ec == pgfns::errc::call_timeout) {
      if (!deadlined_) fail("call_timeout without a deadline");
    } else if (ec == pgfns::errc::outcome_unknown) {
      if (!write || !lost_in_flight_) fail("outcome_unknown for a call not lost in flight");
    } else if (ec == pgfns::errc::connection_lost) {
      if (write && lost_in_flight_) fail("connection_lost for a write lost in flight");
    } else if (ec == pgfns::make_sqlstate_error("57014")) {
      if (!cancelled_ && !stray_seen()) fail("57014 with no cancel");
    } else if (!ec) {
      if (!answered_ok_) fail("success without an answer");
      if (write && !committed_) fail("success for a write that did not commit");
    } else if (ec != pgfns::make_sqlstate_error("23505")) {
      fail("unexpected code " + code);
    }
  }

  bool stray_seen() const { return cfg_.behind_other && y_cancelled_; }

  config cfg_;
  call_machine x_;
  std::unique_ptr<pipeline> pipe_ = std::make_unique<pipeline>();
  sim_job xj_, yj_;
  int completions_ = 0;
  bool cancelled_ = false, deadlined_ = false;
  bool x_in_flight_ = false;     // x's execution is in the pipeline, not answered
  bool lost_in_flight_ = false;  // x's execution was in flight when its connection closed
  bool committed_ = false;       // the server ran x's write to its end
  bool answered_ok_ = false;     // x's owner got the execution's answer
  bool y_in_ = false, y_cancelled_ = false;
  bool cancel_sent_here_ = false, stray_armed_ = false;
  std::vector<std::string> violations_;
};

std::string describe(const config& c, const std::vector<ev>& seq) {
  static constexpr std::array names = {"acquire",  "ok",   "error",        "cancelled", "cancel",
                                       "deadline", "lost", "other_cancel", "grace"};
  std::string s = c.kind == call_kind::write ? "write" : "read";
  s += c.behind_other ? " behind another" : " alone";
  s += c.describe_first ? ", describe first:" : ":";
  for (ev e : seq) {
    s += ' ';
    s += names[static_cast<std::size_t>(e)];
  }
  return s;
}

struct explorer {
  config cfg;
  std::size_t max_length;
  std::size_t sequences = 0;  // complete orders checked (each ends with the server's answers)
  std::size_t cut = 0;        // orders cut at max_length (more events could still come)
  std::size_t failures = 0;

  void explore(std::vector<ev>& seq) {
    world w(cfg);
    for (ev e : seq) w.run(e);
    bool extended = false;
    if (seq.size() < max_length) {
      for (ev e : all_events) {
        if (!w.applicable(e)) continue;
        extended = true;
        seq.push_back(e);
        explore(seq);
        seq.pop_back();
      }
    }
    if (extended) return;  // the longer sequences cover this one's ending
    ++sequences;
    if (seq.size() == max_length) ++cut;
    w.finish_up();
    for (const auto& v : w.violations()) {
      if (++failures <= 20) BOOST_ERROR(describe(cfg, seq) + ": " + v);
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(call_outcomes)

BOOST_AUTO_TEST_CASE(every_event_order_ends_in_one_allowed_completion) {
  std::size_t total = 0;
  for (call_kind kind : {call_kind::read, call_kind::write}) {
    for (bool behind : {false, true}) {
      for (bool describe_first : {false, true}) {
        explorer x{{kind, behind, describe_first}, 14};
        std::vector<ev> seq;
        x.explore(seq);
        BOOST_TEST_MESSAGE(describe(x.cfg, {}) << " " << x.sequences << " event orders, " << x.cut
                                               << " cut at " << x.max_length);
        BOOST_TEST(x.sequences > 20u);
        BOOST_TEST(x.cut == 0u);  // every order was followed to its end
        BOOST_TEST(x.failures == 0u);
        total += x.sequences;
      }
    }
  }
  BOOST_TEST_MESSAGE(total << " event orders in all");
}

BOOST_AUTO_TEST_SUITE_END()

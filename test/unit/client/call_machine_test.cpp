// The rules of a call, without a server: what each event leads to.
#include "client/call/call_machine.hpp"

#include <pgfns/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/test/unit_test.hpp>

using namespace pgfns::detail;

namespace {

call_machine machine(call_kind kind) {
  call_limits l;
  l.kind = kind;
  l.call_timeout_ms = 500;
  l.acquire_timeout_ms = 100;
  return call_machine(l);
}

// A call of `kind` whose statement is described, sent on a connection.
call_machine sent(call_kind kind) {
  call_machine m = machine(kind);
  BOOST_TEST((m.start(statement_state::described).action == call_action::acquire));
  BOOST_TEST((m.acquired().action == call_action::send));
  BOOST_TEST((m.phase() == call_phase::sent));
  return m;
}

job_outcome server_error(std::string_view state, std::string_view message) {
  job_outcome o;
  o.what = job_outcome::kind::server_error;
  o.sqlstate = state;
  o.message = message;
  return o;
}

job_outcome lost(std::string_view why) {
  job_outcome o;
  o.what = job_outcome::kind::lost;
  o.message = why;
  return o;
}

const boost::system::error_code aborted = boost::asio::error::operation_aborted;
constexpr std::string_view user_cancel = "canceling statement due to user request";

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(call_machine_rules)

BOOST_AUTO_TEST_CASE(a_call_waits_for_the_describe_of_another_then_goes_on) {
  call_machine m = machine(call_kind::read);
  BOOST_TEST(
      (m.start(statement_state::described_elsewhere).action == call_action::wait_for_describe));
  BOOST_TEST((m.describe_ended({}, statement_state::described).action == call_action::acquire));
}

BOOST_AUTO_TEST_CASE(the_describing_call_sends_a_describe_then_its_execution) {
  call_machine m = machine(call_kind::write);
  m.start(statement_state::describe_here);
  BOOST_TEST(m.describing());
  m.acquired();
  BOOST_TEST(m.sends_describe());
  call_step s = m.job_done({});
  BOOST_TEST(s.release_waiters);
  BOOST_TEST(!s.waiters_ec);
  BOOST_TEST((s.action == call_action::send));
  BOOST_TEST(!m.sends_describe());
  BOOST_TEST(m.attempts() == 1);
  BOOST_TEST((m.job_done({}).action == call_action::finish));
}

BOOST_AUTO_TEST_CASE(a_describe_error_about_the_statement_fails_the_waiters_too) {
  call_machine m = machine(call_kind::read);
  m.start(statement_state::describe_here);
  m.acquired();
  call_step s = m.job_done(server_error("42883", "function f(unknown) does not exist"));
  BOOST_TEST(s.release_waiters);
  BOOST_TEST(s.waiters_ec == pgfns::make_sqlstate_error("42883"));
  BOOST_TEST(s.ec == pgfns::make_sqlstate_error("42883"));
}

BOOST_AUTO_TEST_CASE(a_cancel_while_waiting_for_a_connection_never_sends) {
  call_machine m = machine(call_kind::write);
  m.start(statement_state::described);
  call_step s = m.cancel();
  BOOST_TEST((s.action == call_action::finish));
  BOOST_TEST(s.ec == aborted);
  BOOST_TEST(s.leave_queue);
  BOOST_TEST(contains(s.message, "it was not sent"), s.message);
}

BOOST_AUTO_TEST_CASE(a_deadline_while_waiting_names_the_pool_and_its_last_error) {
  call_machine m = machine(call_kind::read);
  m.start(statement_state::described);
  call_step s = m.deadline("read", "connection refused");
  BOOST_TEST(s.ec == pgfns::errc::call_timeout);
  BOOST_TEST(s.message ==
             "the call's deadline passed (call_timeout 500 ms) while it waited for a connection "
             "of the read pool; it was not sent (connection refused)");
}

BOOST_AUTO_TEST_CASE(a_sent_read_that_is_stopped_completes_at_once_and_is_detached) {
  for (bool cancel : {true, false}) {
    call_machine m = sent(call_kind::read);
    call_step s = cancel ? m.cancel() : m.deadline();
    BOOST_TEST((s.action == call_action::finish));
    BOOST_TEST(s.ec == (cancel ? aborted : boost::system::error_code(pgfns::errc::call_timeout)));
    BOOST_TEST(s.detach);
    BOOST_TEST((s.stop == (cancel ? stop_reason::cancel : stop_reason::deadline)));
    BOOST_TEST((m.job_done({}).action == call_action::none));  // its answer changes nothing
  }
}

BOOST_AUTO_TEST_CASE(a_sent_write_that_is_stopped_waits_for_its_real_outcome) {
  call_machine m = sent(call_kind::write);
  call_step s = m.cancel();
  BOOST_TEST((s.action == call_action::stop_on_server));
  BOOST_TEST((s.stop == stop_reason::cancel));
  BOOST_TEST((m.deadline().action == call_action::none));  // stopping already
  BOOST_TEST((m.job_done({}).action == call_action::finish));
  BOOST_TEST((m.phase() == call_phase::done));
}

BOOST_AUTO_TEST_CASE(a_write_stopped_by_the_server_did_not_happen) {
  call_machine m = sent(call_kind::write);
  m.cancel();
  call_step s = m.job_done(server_error("57014", user_cancel));
  BOOST_TEST(s.ec == pgfns::make_sqlstate_error("57014"));
  BOOST_TEST(s.keep_server_diag);
  BOOST_TEST(contains(s.message, "did not happen"), s.message);

  call_machine d = sent(call_kind::write);
  d.deadline();
  s = d.job_done(server_error("57014", user_cancel));
  BOOST_TEST(s.ec == pgfns::errc::call_timeout);
  BOOST_TEST(contains(s.message, "deadline passed"), s.message);
  BOOST_TEST(contains(s.message, "did not happen"), s.message);
}

BOOST_AUTO_TEST_CASE(a_write_whose_cancel_went_unanswered_has_an_unknown_outcome) {
  call_machine m = sent(call_kind::write);
  m.deadline();
  job_outcome o = lost("the server did not answer the cancel request for m within 5000 ms");
  o.own_cancel_unanswered = true;
  call_step s = m.job_done(o);
  BOOST_TEST(s.ec == pgfns::errc::outcome_unknown);
  BOOST_TEST(s.message ==
             "the call's deadline passed (call_timeout 500 ms) while the write ran; the server "
             "did not answer the cancel request for m within 5000 ms, so its connection was "
             "closed: outcome unknown");
}

BOOST_AUTO_TEST_CASE(a_write_lost_with_another_calls_connection_names_the_cause) {
  call_machine m = sent(call_kind::write);
  call_step s =
      m.job_done(lost("the server did not answer the cancel request for get_product (its deadline "
                      "passed) within 5000 ms"));
  BOOST_TEST(s.ec == pgfns::errc::outcome_unknown);
  BOOST_TEST(contains(s.message,
                      "connection lost during a write call, outcome unknown: the "
                      "server did not answer the cancel request for get_product"),
             s.message);
  BOOST_TEST(!contains(s.message, "deadline passed (call_timeout"), s.message);
}

BOOST_AUTO_TEST_CASE(a_write_the_pooler_never_sent_fails_definitely) {
  call_machine m = sent(call_kind::write);
  job_outcome o = lost("server login has been failing, try again later (server_login_retry)");
  o.never_sent = true;
  call_step s = m.job_done(o);
  BOOST_TEST(s.ec == pgfns::errc::server_unavailable);
  BOOST_TEST(s.retire_connection);
  BOOST_TEST(s.message ==
             "the pooler could not give the call a server connection (server login has been "
             "failing, try again later (server_login_retry)); it was not sent");
}

BOOST_AUTO_TEST_CASE(a_stopped_write_the_pooler_never_sent_did_not_happen) {
  call_machine m = sent(call_kind::write);
  BOOST_TEST((m.deadline().action == call_action::stop_on_server));
  job_outcome o = lost("query_wait_timeout");
  o.never_sent = true;
  call_step s = m.job_done(o);
  BOOST_TEST(s.ec == pgfns::errc::call_timeout);
  BOOST_TEST(contains(s.message,
                      "the pooler never gave it a server (query_wait_timeout): it "
                      "was not sent"),
             s.message);
  call_machine c = sent(call_kind::write);
  c.cancel();
  BOOST_TEST(c.job_done(o).ec == aborted);
}

BOOST_AUTO_TEST_CASE(a_read_the_pooler_never_sent_is_sent_again_once) {
  call_machine m = sent(call_kind::read);
  job_outcome o = lost("query_wait_timeout");
  o.never_sent = true;
  BOOST_TEST((m.job_done(o).action == call_action::acquire));
  m.acquired();
  BOOST_TEST(m.job_done(o).ec == pgfns::errc::connection_lost);
}

BOOST_AUTO_TEST_CASE(a_lost_read_is_sent_again_once) {
  call_machine m = sent(call_kind::read);
  call_step s = m.job_done(lost("server closed the connection unexpectedly"));
  BOOST_TEST((s.action == call_action::acquire));
  BOOST_TEST(s.retire_connection);
  m.acquired();
  s = m.job_done(lost("server closed the connection unexpectedly"));
  BOOST_TEST(s.ec == pgfns::errc::connection_lost);
  BOOST_TEST(s.message == "server closed the connection unexpectedly");
}

BOOST_AUTO_TEST_CASE(a_server_error_that_breaks_the_connection_is_a_loss) {
  call_machine m = sent(call_kind::write);
  call_step s = m.job_done(server_error("57P01", "terminating connection"));
  BOOST_TEST(s.ec == pgfns::errc::outcome_unknown);
  BOOST_TEST(s.retire_connection);
  BOOST_TEST(s.keep_server_diag);
}

BOOST_AUTO_TEST_CASE(a_stale_statement_is_prepared_again_once) {
  call_machine m = sent(call_kind::write);
  call_step s = m.job_done(server_error("26000", "prepared statement \"p1\" does not exist"));
  BOOST_TEST(s.forget_statement);
  BOOST_TEST((s.action == call_action::acquire));
  m.acquired();
  s = m.job_done(server_error("26000", "prepared statement \"p1\" does not exist"));
  BOOST_TEST(s.forget_statement);
  BOOST_TEST(s.ec == pgfns::make_sqlstate_error("26000"));
}

BOOST_AUTO_TEST_CASE(a_stray_cancel_is_retried_only_when_one_may_have_hit_it) {
  // Each run that a cancel request may have hit (one had not completed when it was sent) runs
  // again; the first that none could have hit fails with the 57014.
  call_machine m = sent(call_kind::write);
  job_outcome o = server_error("57014", user_cancel);
  o.recent_cancel = true;
  BOOST_TEST((m.job_done(o).action == call_action::acquire));
  m.acquired();
  BOOST_TEST((m.job_done(o).action == call_action::acquire));
  m.acquired();
  o.recent_cancel = false;
  BOOST_TEST(m.job_done(o).ec == pgfns::make_sqlstate_error("57014"));

  // A guard bounds the runs again.
  call_machine g = sent(call_kind::read);
  o.recent_cancel = true;
  int runs = 0;
  while (g.job_done(o).action == call_action::acquire) {
    g.acquired();
    BOOST_TEST_REQUIRE(++runs <= 16);
  }
  BOOST_TEST(runs == 16);

  call_machine n = sent(call_kind::read);
  BOOST_TEST(n.job_done(server_error("57014", user_cancel)).ec ==
             pgfns::make_sqlstate_error("57014"));
}

BOOST_AUTO_TEST_CASE(a_demoted_primary_retires_the_write_connection) {
  call_machine m = sent(call_kind::write);
  call_step s = m.job_done(server_error("25006", "cannot execute in a read-only transaction"));
  BOOST_TEST(s.retire_connection);
  BOOST_TEST(s.ec == pgfns::make_sqlstate_error("25006"));
}

BOOST_AUTO_TEST_CASE(a_read_falls_back_when_its_server_goes_down_while_it_waits) {
  call_machine m = machine(call_kind::read);
  m.start(statement_state::described);
  BOOST_TEST((m.acquire_failed(pgfns::errc::server_unavailable, "read", "").action ==
              call_action::acquire));
  call_step s = m.acquire_failed(pgfns::errc::pool_timeout, "write", "too many clients");
  BOOST_TEST(s.ec == pgfns::errc::pool_timeout);
  BOOST_TEST(s.message ==
             "no connection of the write pool became available within 100 ms (too many "
             "clients)");
}

BOOST_AUTO_TEST_CASE(an_unreachable_write_server_fails_the_call_at_once) {
  for (call_kind kind : {call_kind::write, call_kind::read}) {
    // A read that fell back to the write server finds it down too: no endless retry.
    call_machine m = machine(kind);
    m.start(statement_state::described);
    call_step s = m.acquire_failed(pgfns::errc::server_unavailable, "write", "Connection refused");
    BOOST_TEST(s.ec == pgfns::errc::server_unavailable);
    BOOST_TEST((s.action == call_action::finish));
    BOOST_TEST(s.message ==
               "the write server cannot be reached (Connection refused); it was not sent, and "
               "the pool reconnects in the background");
  }
}

BOOST_AUTO_TEST_CASE(a_stopped_describe_is_never_followed_by_the_execution) {
  call_machine m = machine(call_kind::write);
  m.start(statement_state::describe_here);
  m.acquired();
  call_step s = m.cancel();
  BOOST_TEST(s.ec == aborted);  // the call itself never reached the server
  BOOST_TEST(s.detach);
  BOOST_TEST(s.release_waiters);  // the next call describes the statement
  BOOST_TEST(contains(s.message, "the call was not sent"), s.message);
}

BOOST_AUTO_TEST_CASE(events_after_completion_change_nothing) {
  call_machine m = sent(call_kind::read);
  m.job_done({});
  BOOST_TEST((m.cancel().action == call_action::none));
  BOOST_TEST((m.deadline().action == call_action::none));
  BOOST_TEST((m.job_done({}).action == call_action::none));
  BOOST_TEST((m.fail(pgfns::errc::protocol_error, "x").action == call_action::none));
}

BOOST_AUTO_TEST_SUITE_END()

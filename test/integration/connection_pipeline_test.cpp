// The connection on its own: nonblocking connect, settings, pipelined jobs answered in order,
// one job's error isolated from the others, cancel of a running job, a backend killed.
#include "client/pq/connection.hpp"

#include <pgfns/error.hpp>

#include "pg_test.hpp"
#include "run_until.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace {

using pgfns::detail::connection;

struct test_job final : pgfns::detail::pq_job {
  bool done = false;
  std::function<void(test_job&)> then;
  void on_job_done(connection&) override {
    done = true;
    if (then) then(*this);
  }
  std::string value(int row = 0, int col = 0) const {
    return result && PQntuples(result.get()) > row ? PQgetvalue(result.get(), row, col) : "";
  }
  std::string sqlstate() const {
    const char* s = error ? PQresultErrorField(error.get(), PG_DIAG_SQLSTATE) : nullptr;
    return s ? s : "";
  }
};

struct observer final : pgfns::detail::connection_observer {
  int finished = 0;
  int lost = 0;
  void on_job_finished(connection&) override { ++finished; }
  void on_connection_lost(connection&) override { ++lost; }
};

struct fixture {
  boost::asio::io_context ioc;
  std::shared_ptr<pgfns::detail::blocking_worker> worker =
      std::make_shared<pgfns::detail::blocking_worker>();
  observer obs;

  std::shared_ptr<connection> connect(const std::string& url,
                                      pgfns::detail::session_settings settings = {}) {
    auto info = std::make_shared<pgfns::detail::conninfo>(url, settings);
    auto c = std::make_shared<connection>(ioc.get_executor(), info, worker);
    c->set_observer(&obs);
    bool done = false;
    boost::system::error_code result;
    c->async_connect(std::chrono::seconds(5),
                     [&](boost::system::error_code ec, const std::string&) {
                       done = true;
                       result = ec;
                     });
    BOOST_REQUIRE(pgfns::test::run_until(ioc, [&] { return done; }));
    BOOST_REQUIRE_MESSAGE(!result, result.message() + ": " + c->last_error());
    return c;
  }

  void run(test_job& job) {
    BOOST_REQUIRE(pgfns::test::run_until(ioc, [&] { return job.done; }));
  }

  std::string one_value(connection& c, const char* sql) {
    test_job j;
    j.sql = sql;
    c.submit(j);
    run(j);
    BOOST_REQUIRE_MESSAGE(!j.error, j.sqlstate());
    return j.value();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(connection_pipeline, fixture)

BOOST_AUTO_TEST_CASE(connects_and_applies_session_settings) {
  pgfns::detail::session_settings s;
  s.application_name = "pgfns-connection-test";
  s.statement_timeout = std::chrono::milliseconds(1500);
  s.read_only = true;
  auto c = connect(pgfns::test::server().primary, s);
  BOOST_TEST(one_value(*c, "show TimeZone") == "UTC");
  BOOST_TEST(one_value(*c, "show DateStyle") == "ISO, MDY");
  BOOST_TEST(one_value(*c, "show IntervalStyle") == "postgres");
  BOOST_TEST(one_value(*c, "show bytea_output") == "hex");
  BOOST_TEST(one_value(*c, "show extra_float_digits") == "1");
  BOOST_TEST(one_value(*c, "show statement_timeout") == "1500ms");
  BOOST_TEST(one_value(*c, "show idle_in_transaction_session_timeout") == "20s");
  BOOST_TEST(one_value(*c, "show default_transaction_read_only") == "on");
  BOOST_TEST(one_value(*c, "show application_name") == "pgfns-connection-test");
}

BOOST_AUTO_TEST_CASE(a_refused_connection_reports_libpq_message) {
  auto info = std::make_shared<pgfns::detail::conninfo>(
      "postgresql://nobody:secret@127.0.0.1:1/postgres", pgfns::detail::session_settings{});
  BOOST_TEST(info->server() == "127.0.0.1:1/postgres");
  auto c = std::make_shared<connection>(ioc.get_executor(), info, worker);
  bool done = false;
  boost::system::error_code result;
  std::string message;
  c->async_connect(std::chrono::seconds(5),
                   [&](boost::system::error_code ec, const std::string& m) {
                     done = true;
                     result = ec;
                     message = m;
                   });
  BOOST_REQUIRE(pgfns::test::run_until(ioc, [&] { return done; }));
  BOOST_TEST(result == pgfns::errc::connect_failed);
  BOOST_TEST(message.find("Connection refused") != std::string::npos, message);
  BOOST_TEST(message.find("secret") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(pipelined_jobs_are_answered_in_order_with_one_prepare) {
  auto c = connect(pgfns::test::server().primary);
  pgfns::detail::statement st{0, "select $1::int * 2", 1, false, {}};
  constexpr int n = 200;
  std::vector<test_job> jobs(n);
  std::vector<std::string> params(n);
  std::vector<const char*> values(n);
  std::vector<int> order;
  for (int i = 0; i < n; ++i) {
    params[i] = std::to_string(i);
    values[i] = params[i].c_str();
    jobs[i].stmt = &st;
    jobs[i].nparams = 1;
    jobs[i].param_values = &values[i];
    jobs[i].then = [&order, i](test_job&) { order.push_back(i); };
    c->submit(jobs[i]);
  }
  BOOST_TEST(c->in_flight() == static_cast<std::size_t>(n));
  BOOST_REQUIRE(pgfns::test::run_until(ioc, [&] { return order.size() == n; }));
  for (int i = 0; i < n; ++i) {
    BOOST_TEST(order[i] == i);
    BOOST_TEST(jobs[i].value() == std::to_string(2 * i));
  }
  BOOST_TEST(obs.finished == n);
  BOOST_TEST(one_value(*c, "select count(*) from pg_prepared_statements") == "1");
}

BOOST_AUTO_TEST_CASE(one_jobs_error_does_not_fail_its_neighbours) {
  auto c = connect(pgfns::test::server().primary);
  test_job a, b, d;
  a.sql = "select 1";
  b.sql = "select 1/0";
  d.sql = "select 3";
  c->submit(a);
  c->submit(b);
  c->submit(d);
  run(d);
  BOOST_TEST(a.value() == "1");
  BOOST_TEST(b.sqlstate() == "22012");
  BOOST_TEST(!b.ec);
  BOOST_TEST(d.value() == "3");
}

BOOST_AUTO_TEST_CASE(a_failed_prepare_is_forgotten_and_retried_by_the_next_job) {
  auto c = connect(pgfns::test::server().primary);
  pgfns::detail::statement st{0, "select * from no_such_function($1)", 1, false, {}};
  test_job a, b;
  for (test_job* j : {&a, &b}) {
    j->stmt = &st;
    j->describe = true;
    j->execute = false;
    c->submit(*j);
    run(*j);
  }
  BOOST_TEST(a.sqlstate() == "42883");
  BOOST_TEST(b.sqlstate() == "42883");  // prepared again, not 26000
}

BOOST_AUTO_TEST_CASE(describe_reports_the_parameter_types) {
  auto c = connect(pgfns::test::server().primary);
  pgfns::detail::statement st{0, "select $1::int8, $2::jsonb", 2, false, {}};
  test_job j;
  j.stmt = &st;
  j.describe = true;
  j.execute = false;
  c->submit(j);
  run(j);
  BOOST_REQUIRE(j.describe_result);
  BOOST_TEST(PQnparams(j.describe_result.get()) == 2);
  BOOST_TEST(PQparamtype(j.describe_result.get(), 0) == 20u);
  BOOST_TEST(PQparamtype(j.describe_result.get(), 1) == 3802u);
}

BOOST_AUTO_TEST_CASE(cancel_of_a_running_job_keeps_the_connection_usable) {
  auto c = connect(pgfns::test::server().primary);
  test_job slow;
  slow.sql = "select pg_sleep(30)";
  c->submit(slow);
  const auto start = std::chrono::steady_clock::now();
  boost::asio::steady_timer t(ioc, std::chrono::milliseconds(200));
  t.async_wait(
      [&](boost::system::error_code) { c->stop(slow, pgfns::detail::stop_reason::cancel, false); });
  run(slow);
  BOOST_TEST(slow.sqlstate() == "57014");
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
  BOOST_TEST(one_value(*c, "select 'still here'") == "still here");
}

// The server runs the head; a cancel request sent for the job behind it would stop the head.
BOOST_AUTO_TEST_CASE(stopping_a_job_behind_the_running_one_waits_for_its_turn) {
  auto c = connect(pgfns::test::server().primary);
  test_job head, behind;
  head.sql = "select pg_sleep(0.5), 'head'";
  behind.sql = "select pg_sleep(30)";
  c->submit(head);
  c->submit(behind);
  c->stop(behind, pgfns::detail::stop_reason::cancel, false);
  const auto start = std::chrono::steady_clock::now();
  run(behind);
  BOOST_TEST(head.sqlstate() == "");  // the head ran to its end
  BOOST_TEST(head.value(0, 1) == "head");
  BOOST_TEST(behind.sqlstate() == "57014");  // cancelled once its turn came
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(10)));
  BOOST_TEST(one_value(*c, "select 'still here'") == "still here");
}

// A detached job's answer is still read (the pipeline stays in step) and then let go.
BOOST_AUTO_TEST_CASE(a_detached_job_keeps_the_pipeline_in_step) {
  auto c = connect(pgfns::test::server().primary);
  test_job head, after;
  head.sql = "select pg_sleep(30)";
  after.sql = "select 'after'";
  c->submit(head);
  c->submit(after);
  c->stop(head, pgfns::detail::stop_reason::deadline, true);
  run(after);
  BOOST_TEST(head.done);
  BOOST_TEST(head.detached());
  BOOST_TEST(after.value() == "after");
  BOOST_TEST(!c->closed());
}

BOOST_AUTO_TEST_CASE(a_terminated_backend_fails_its_jobs_and_tells_the_observer) {
  auto c = connect(pgfns::test::server().primary);
  auto killer = connect(pgfns::test::server().primary);
  const std::string pid = one_value(*c, "select pg_backend_pid()");
  test_job slow, after;
  slow.sql = "select pg_sleep(30)";
  after.sql = "select 1";
  c->submit(slow);
  c->submit(after);
  const std::string kill = "select pg_terminate_backend(" + pid + ")";
  BOOST_TEST(one_value(*killer, kill.c_str()) == "t");
  run(after);
  BOOST_TEST(slow.done);
  BOOST_TEST(slow.ec == pgfns::errc::connection_lost);
  BOOST_TEST(slow.sqlstate() == "57P01");
  BOOST_TEST(after.ec == pgfns::errc::connection_lost);
  BOOST_TEST(obs.lost == 1);
  BOOST_TEST(c->closed());
}

BOOST_AUTO_TEST_SUITE_END()

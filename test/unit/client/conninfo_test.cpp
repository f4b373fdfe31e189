// Connection parameters: settings merged into `options`, server names and redaction that never
// show a password.
#include "client/pq/conninfo.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>

using pgfns::detail::conninfo;
using pgfns::detail::session_settings;

BOOST_AUTO_TEST_SUITE(conninfo_settings)

BOOST_AUTO_TEST_CASE(settings_travel_in_options_after_the_users_own) {
  session_settings s;
  s.statement_timeout = std::chrono::milliseconds(2500);
  s.read_only = true;
  const conninfo c("postgresql://u@db.example:6543/shop?options=-c%20work_mem%3D8MB", s);
  BOOST_TEST(c.value("options") ==
             "-c work_mem=8MB -c DateStyle=ISO,MDY -c TimeZone=UTC -c IntervalStyle=postgres "
             "-c bytea_output=hex -c extra_float_digits=1 "
             "-c idle_in_transaction_session_timeout=20000ms -c statement_timeout=2500ms "
             "-c default_transaction_read_only=on");
  BOOST_TEST(c.server() == "db.example:6543/shop");
}

BOOST_AUTO_TEST_CASE(no_statement_timeout_and_read_write_by_default) {
  const conninfo c("host=127.0.0.1 port=5432 dbname=x", session_settings{});
  const std::string options = c.value("options");
  BOOST_TEST(options.find("statement_timeout") == std::string::npos);
  BOOST_TEST(options.find("read_only") == std::string::npos);
  BOOST_TEST(c.server() == "127.0.0.1:5432/x");
}

BOOST_AUTO_TEST_CASE(pooler_mode_sends_no_options_and_guards_each_job_instead) {
  session_settings s;
  s.statement_timeout = std::chrono::milliseconds(2500);
  s.read_only = true;
  s.pooler = true;
  const conninfo c("postgresql://u@pooler.example:6432/shop", s);
  BOOST_TEST(c.pooler());
  BOOST_TEST(c.value("options").empty());
  BOOST_TEST(c.guard_sql() ==
             "select set_config('DateStyle', 'ISO,MDY', true), set_config('TimeZone', 'UTC', "
             "true), set_config('IntervalStyle', 'postgres', true), set_config('bytea_output', "
             "'hex', true), set_config('extra_float_digits', '1', true), "
             "set_config('statement_timeout', '2500ms', true), "
             "set_config('transaction_read_only', 'on', true)");
}

BOOST_AUTO_TEST_CASE(pooler_mode_without_timeout_on_the_write_pool_sets_formats_only) {
  session_settings s;
  s.pooler = true;
  const conninfo c("postgresql://u@h/db", s);
  BOOST_TEST(c.guard_sql().find("statement_timeout") == std::string::npos);
  BOOST_TEST(c.guard_sql().find("read_only") == std::string::npos);
  BOOST_TEST(c.guard_sql().find("set_config('bytea_output', 'hex', true)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(without_pooler_mode_there_is_no_guard) {
  const conninfo c("postgresql://u@h/db", session_settings{});
  BOOST_TEST(!c.pooler());
  BOOST_TEST(c.guard_sql().empty());
}

BOOST_AUTO_TEST_CASE(pooler_mode_refuses_a_url_with_options_and_names_no_password) {
  session_settings s;
  s.pooler = true;
  try {
    conninfo("postgresql://u:s3cret@h/db?options=-c%20work_mem%3D8MB", s);
    BOOST_FAIL("a URL with options was accepted in pooler mode");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("options parameter is refused by a transaction pooler") !=
               std::string::npos);
    BOOST_TEST(what.find("s3cret") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_poolers_refusal_of_options_points_to_pooler_mode) {
  const std::string refusal =
      "connection to server at \"127.0.0.1\", port 6432 failed: FATAL:  unsupported startup "
      "parameter: options\n";
  BOOST_TEST(conninfo("postgresql://u@h/db", {}).message(refusal).find("--pooler transaction") !=
             std::string::npos);
  session_settings s;
  s.pooler = true;
  BOOST_TEST(conninfo("postgresql://u@h/db", s).message(refusal).find("--pooler") ==
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_service_stands_for_the_server_it_names) {
  BOOST_TEST(conninfo("postgresql:///?service=shop_orders", {}).server() == "service=shop_orders");
  BOOST_TEST(conninfo("service=shop_orders dbname=x", {}).server() == "service=shop_orders/x");
  BOOST_TEST(conninfo("service=shop host=db.example", {}).server() == "db.example");
  BOOST_TEST(conninfo("postgresql:///x", {}).server() == "(default host)/x");
}

BOOST_AUTO_TEST_CASE(application_name_is_a_fallback) {
  session_settings s;
  s.application_name = "orders";
  const conninfo c("postgresql://u@h/db", s);
  BOOST_TEST(c.value("fallback_application_name") == "orders");
  BOOST_TEST(c.value("application_name").empty());
}

BOOST_AUTO_TEST_CASE(keyword_arrays_are_null_terminated_pairs) {
  const conninfo c("postgresql://u@h:1/db", session_settings{});
  int n = 0;
  for (; c.keywords()[n]; ++n) BOOST_TEST(c.values()[n] != nullptr);
  BOOST_TEST(c.values()[n] == nullptr);
  BOOST_TEST(n >= 5);  // user, host, port, dbname, options
}

BOOST_AUTO_TEST_CASE(tcp_keepalives_notice_a_dead_peer_within_a_minute) {
  const conninfo c("postgresql://u@h/db", session_settings{});
  BOOST_TEST(c.value("keepalives_idle") == "30");
  BOOST_TEST(c.value("keepalives_interval") == "10");
  BOOST_TEST(c.value("keepalives_count") == "3");
}

BOOST_AUTO_TEST_CASE(the_urls_own_keepalive_settings_win) {
  const conninfo c("postgresql://u@h/db?keepalives_idle=5&keepalives_count=9", session_settings{});
  BOOST_TEST(c.value("keepalives_idle") == "5");
  BOOST_TEST(c.value("keepalives_interval") == "10");
  BOOST_TEST(c.value("keepalives_count") == "9");
}

BOOST_AUTO_TEST_CASE(a_bad_url_is_refused_without_its_password) {
  try {
    conninfo("postgresql://u:hunter2@h/db?nonsense_key=1", session_settings{});
    BOOST_FAIL("no exception");
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    BOOST_TEST(what.find("hunter2") == std::string::npos, what);
    BOOST_TEST(what.find("nonsense_key") != std::string::npos, what);
  }
}

BOOST_AUTO_TEST_SUITE_END()

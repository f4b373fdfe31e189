// What server errors mean for connections and calls.
#include "client/call/failure_kind.hpp"
#include "client/pq/pooler_refusal.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgfns::detail;

BOOST_AUTO_TEST_SUITE(failure_kind)

BOOST_AUTO_TEST_CASE(connection_errors_break_the_connection) {
  for (const char* s : {"08000", "08003", "08006", "08P01", "57P01", "57P02", "57P03"})
    BOOST_TEST(breaks_connection(s), s);
  for (const char* s : {"", "57014", "57000", "25006", "40001", "23505", "XX000"})
    BOOST_TEST(!breaks_connection(s), s);
}

BOOST_AUTO_TEST_CASE(only_read_only_transaction_means_demoted) {
  BOOST_TEST(demoted_primary("25006"));
  BOOST_TEST(!demoted_primary("25001"));
}

BOOST_AUTO_TEST_CASE(stale_statements_are_recognised_by_state_and_message) {
  BOOST_TEST(stale_statement("26000", "prepared statement \"p1\" does not exist"));
  BOOST_TEST(stale_statement("0A000", "cached plan must not change result type"));
  BOOST_TEST(!stale_statement("0A000", "unsupported frontend protocol"));
  BOOST_TEST(!stale_statement("42883", "function m(integer) does not exist"));
}

BOOST_AUTO_TEST_CASE(a_poolers_refusals_are_recognised_by_state_and_message) {
  BOOST_TEST(refused_by_pooler(
      "08P01", "server login has been failing, try again later (server_login_retry)"));
  BOOST_TEST(refused_by_pooler("08P01", "query_wait_timeout"));
  BOOST_TEST(!refused_by_pooler("08P01", "server conn crashed?"));  // it ran on a server
  BOOST_TEST(!refused_by_pooler("08P01", "invalid message format"));
  BOOST_TEST(!refused_by_pooler("57P01", "query_wait_timeout"));
}

BOOST_AUTO_TEST_CASE(cancel_requests_differ_from_statement_timeouts) {
  BOOST_TEST(cancelled_by_request("57014", "canceling statement due to user request"));
  BOOST_TEST(!cancelled_by_request("57014", "canceling statement due to statement timeout"));
  BOOST_TEST(!cancelled_by_request("57P01", "user request"));
}

BOOST_AUTO_TEST_SUITE_END()

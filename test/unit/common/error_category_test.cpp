// The error categories: SQLSTATE encoding, messages, and the one-line format for people.
#include <pgfns/error.hpp>

#include <boost/asio/error.hpp>
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

BOOST_AUTO_TEST_SUITE(error_category)

BOOST_AUTO_TEST_CASE(sqlstates_round_trip_through_error_codes) {
  for (const char* s : {"00000", "23505", "42883", "57014", "0A000", "P0001", "XX000", "ZZZZZ"}) {
    const auto ec = pgfns::make_sqlstate_error(s);
    BOOST_TEST(static_cast<bool>(ec), s);
    BOOST_TEST(pgfns::sqlstate_of(ec) == s);
  }
  BOOST_TEST(pgfns::make_sqlstate_error("23505") == pgfns::make_sqlstate_error("23505"));
  BOOST_TEST(pgfns::make_sqlstate_error("23505") != pgfns::make_sqlstate_error("23503"));
}

BOOST_AUTO_TEST_CASE(malformed_sqlstates_become_internal_error) {
  for (const char* s : {"", "2350", "235050", "23a05", "23-05"})
    BOOST_TEST(pgfns::sqlstate_of(pgfns::make_sqlstate_error(s)) == "XX000", s);
}

BOOST_AUTO_TEST_CASE(sqlstate_messages_name_the_class) {
  BOOST_TEST(pgfns::make_sqlstate_error("23505").message() ==
             "SQLSTATE 23505 (integrity constraint violation)");
  BOOST_TEST(pgfns::make_sqlstate_error("57014").message() ==
             "SQLSTATE 57014 (operator intervention)");
  BOOST_TEST(pgfns::make_sqlstate_error("0A000").message() ==
             "SQLSTATE 0A000 (feature not supported)");
  BOOST_TEST(pgfns::make_sqlstate_error("Q9999").message() == "SQLSTATE Q9999");
  BOOST_TEST(pgfns::make_sqlstate_error("23505").category().name() ==
             std::string("pgfns.sqlstate"));
}

BOOST_AUTO_TEST_CASE(sqlstate_of_other_categories_is_empty) {
  BOOST_TEST(pgfns::sqlstate_of(pgfns::errc::pool_timeout).empty());
  BOOST_TEST(pgfns::sqlstate_of(boost::asio::error::operation_aborted).empty());
  BOOST_TEST(pgfns::sqlstate_of(boost::system::error_code{}).empty());
}

BOOST_AUTO_TEST_CASE(library_codes_have_distinct_names_and_messages) {
  const boost::system::error_code lost = pgfns::errc::outcome_unknown;
  BOOST_TEST(lost.message() == "connection lost, outcome unknown");
  BOOST_TEST(lost.category().name() == std::string("pgfns"));
  BOOST_TEST(pgfns::errc_name(pgfns::errc::database_too_old) == "database_too_old");
  std::set<std::string> names, messages;
  for (int e = static_cast<int>(pgfns::errc::unknown_method);
       e <= static_cast<int>(pgfns::errc::binding_mismatch); ++e) {
    names.emplace(pgfns::errc_name(static_cast<pgfns::errc>(e)));
    messages.insert(pgfns::make_error_code(static_cast<pgfns::errc>(e)).message());
  }
  const auto count = static_cast<std::size_t>(pgfns::errc::binding_mismatch);
  BOOST_TEST(names.size() == count);
  BOOST_TEST(messages.size() == count);
  BOOST_TEST(!names.contains("unknown"));
}

BOOST_AUTO_TEST_CASE(format_error_keeps_server_words_and_location) {
  pgfns::diagnostics d;
  d.sqlstate = "23505";
  d.message = "duplicate key value violates unique constraint \"p\"";
  d.detail = "Key (id)=(1) already exists.";
  d.method = "add_product";
  d.pool = "write";
  d.server = "127.0.0.1:5432";
  BOOST_TEST(pgfns::format_error(pgfns::make_sqlstate_error("23505"), d) ==
             "23505: duplicate key value violates unique constraint \"p\" (Key (id)=(1) already "
             "exists.) (method add_product, write pool, server 127.0.0.1:5432)");
  pgfns::diagnostics lib;
  lib.method = "nope";
  BOOST_TEST(pgfns::format_error(pgfns::errc::unknown_method, lib) ==
             "unknown_method: no such method in the schema (method nope)");
}

BOOST_AUTO_TEST_CASE(the_exception_carries_code_and_diagnostics) {
  pgfns::diagnostics d;
  d.sqlstate = "22023";
  d.message = "bad value";
  const pgfns::error e(pgfns::make_sqlstate_error("22023"), d);
  BOOST_TEST(e.code() == pgfns::make_sqlstate_error("22023"));
  BOOST_TEST(e.diag().message == "bad value");
  BOOST_TEST(std::string(e.what()) == "22023: bad value");
}

BOOST_AUTO_TEST_SUITE_END()

// WAL positions: parsing PostgreSQL's text form, printing it back, comparing.
#include "client/routing/lsn.hpp"

#include <pgfns/call_options.hpp>

#include <boost/test/unit_test.hpp>

using pgfns::detail::lsn;
using pgfns::detail::parse_lsn;

BOOST_AUTO_TEST_CASE(parses_both_halves_as_hexadecimal) {
  const auto p = parse_lsn("16/B374D848");
  BOOST_REQUIRE(p);
  BOOST_TEST(p->value == 0x16B374D848ull);
  BOOST_TEST(parse_lsn("0/0")->value == 0u);
  BOOST_TEST(parse_lsn("FFFFFFFF/FFFFFFFF")->value == ~0ull);
  BOOST_TEST(parse_lsn("a/b")->value == 0xA0000000Bull);
}

BOOST_AUTO_TEST_CASE(refuses_what_postgres_never_prints) {
  for (const char* bad : {"", "/", "16", "16/", "/B374D848", "16/B374D848/1", "1 6/0", " 0/0",
                          "0/0 ", "-1/0", "+1/0", "0x1/0", "123456789/0", "0/123456789", "g/0"})
    BOOST_TEST(!parse_lsn(bad), "accepted \"" << bad << '"');
}

BOOST_AUTO_TEST_CASE(compares_as_a_number_not_as_text) {
  // "9/0" sorts after "10/0" as text; as positions it comes first.
  BOOST_TEST((*parse_lsn("9/0") < *parse_lsn("10/0")));
  BOOST_TEST((*parse_lsn("0/FFFFFFFF") < *parse_lsn("1/0")));
  BOOST_TEST((*parse_lsn("1/A") == *parse_lsn("1/a")));
}

BOOST_AUTO_TEST_CASE(prints_as_postgres_does) {
  BOOST_TEST(to_string(lsn{0}) == "0/0");
  BOOST_TEST(to_string(lsn{0x16B374D848ull}) == "16/B374D848");
  BOOST_TEST(to_string(lsn{~0ull}) == "FFFFFFFF/FFFFFFFF");
  for (const char* text : {"0/1", "1/0", "16/B374D848", "ABCDEF01/2345"})
    BOOST_TEST(to_string(*parse_lsn(text)) == text);
}

BOOST_AUTO_TEST_CASE(a_read_position_travels_as_text) {
  const pgfns::read_position p(0x16B374D848ull);
  BOOST_TEST(p.to_string() == "16/B374D848");
  const auto back = pgfns::read_position::parse(p.to_string());
  BOOST_REQUIRE(back);
  BOOST_TEST((*back == p));
  // Text from a client is checked like a position from the server.
  for (const char* bad : {"", "16", "16/B374D848 ", "x/1", "1/2/3"})
    BOOST_TEST(!pgfns::read_position::parse(bad), "accepted \"" << bad << '"');
  BOOST_TEST((pgfns::read_position(1) < pgfns::read_position(2)));
}

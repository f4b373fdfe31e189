// A connection string's connect_timeout, read as libpq reads it: the admin session and the
// pool's connections honour it instead of their own default.
#include "common/connect_timeout.hpp"

#include <boost/test/unit_test.hpp>

using namespace std::chrono_literals;
using pgfns::detail::connect_timeout_of;
using pgfns::detail::connect_timeout_value;

BOOST_AUTO_TEST_SUITE(connect_timeout)

BOOST_AUTO_TEST_CASE(whole_seconds_and_no_bound) {
  BOOST_TEST(connect_timeout_value("3").value().count() == 3000);
  BOOST_TEST(connect_timeout_value(" 5 ").value().count() == 5000);
  BOOST_TEST(connect_timeout_value("0").value().count() == 0);   // no bound
  BOOST_TEST(connect_timeout_value("-2").value().count() == 0);  // libpq: negative means 0
  for (const char* bad : {"", " ", "2.5", "3s", "abc", "99999999999999999999999"}) {
    BOOST_TEST(!connect_timeout_value(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(from_urls_and_keyword_strings) {
  BOOST_TEST(connect_timeout_of("postgresql://u:pw@127.0.0.1:5/db?connect_timeout=7").value() ==
             std::chrono::milliseconds(7s));
  BOOST_TEST(connect_timeout_of("host=h connect_timeout=4 dbname=d").value() ==
             std::chrono::milliseconds(4s));
  BOOST_TEST(!connect_timeout_of("postgresql://h/db").has_value());
  BOOST_TEST(!connect_timeout_of("postgresql://h/db?bogus=1").has_value());  // does not parse
}

BOOST_AUTO_TEST_SUITE_END()

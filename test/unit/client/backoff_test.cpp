// The reconnect schedule: immediate after a loss, then 100 ms doubling to a 5 s ceiling.
#include "client/pq/backoff.hpp"

#include <boost/test/unit_test.hpp>

using pgfns::detail::reconnect_delay;
using ms = std::chrono::milliseconds;

BOOST_AUTO_TEST_SUITE(backoff)

BOOST_AUTO_TEST_CASE(doubles_from_100ms_to_5s) {
  BOOST_TEST(reconnect_delay(0).count() == 0);
  const long expected[] = {100, 200, 400, 800, 1600, 3200, 5000, 5000};
  for (unsigned i = 0; i < std::size(expected); ++i)
    BOOST_TEST(reconnect_delay(i + 1).count() == expected[i]);
}

BOOST_AUTO_TEST_CASE(stays_at_the_ceiling_forever) {
  for (unsigned n : {20u, 31u, 32u, 1000u, 4000000000u}) BOOST_TEST(reconnect_delay(n) == ms(5000));
}

BOOST_AUTO_TEST_SUITE_END()

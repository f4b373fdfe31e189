// text_format for interval: PostgreSQL's output with IntervalStyle=postgres read into months,
// days and microseconds (each with its own sign, up to each field's limit), and the three
// numbers written in a form that reads back exactly.
#include <pgfns/text_format.hpp>

#include "text_format_checks.hpp"

#include <boost/test/unit_test.hpp>

#include <limits>
#include <string>
#include <string_view>

using pgfns::interval;
using pgfns::text_format;
using pgfns::test::check_refused;
using pgfns::test::written;

namespace {

constexpr auto i32_min = std::numeric_limits<std::int32_t>::min();
constexpr auto i32_max = std::numeric_limits<std::int32_t>::max();
constexpr auto i64_min = std::numeric_limits<std::int64_t>::min();
constexpr auto i64_max = std::numeric_limits<std::int64_t>::max();

void check_read(std::string_view text, interval want) {
  BOOST_TEST_CONTEXT("text " << text) {
    const interval got = text_format<interval>::read(text);
    BOOST_TEST(got.months == want.months);
    BOOST_TEST(got.days == want.days);
    BOOST_TEST(got.microseconds == want.microseconds);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(text_format_interval)

BOOST_AUTO_TEST_CASE(postgres_style_output) {
  check_read("00:00:00", {0, 0, 0});
  check_read("-00:00:01", {0, 0, -1'000'000});
  check_read("00:00:00.000001", {0, 0, 1});
  check_read("1 year 2 mons -3 days +04:05:06.789", {14, -3, 14'706'789'000});
  check_read("-1 years -2 mons +3 days -04:05:06.789", {-14, 3, -14'706'789'000});
  check_read("1 mon", {1, 0, 0});
  check_read("-1 mons +1 day -00:00:00.000001", {-1, 1, -1});
  check_read("3 days", {0, 3, 0});
  check_read("1 day 01:00:00", {0, 1, 3'600'000'000});
  check_read("100:00:00", {0, 0, 360'000'000'000});
  check_read("178956970 years 7 mons 2147483647 days 2562047788:00:54.775807",
             {i32_max, i32_max, i64_max});
  check_read("-178956970 years -8 mons -2147483648 days -2562047788:00:54.775808",
             {i32_min, i32_min, i64_min});
}

BOOST_AUTO_TEST_CASE(written_as_the_three_stored_numbers) {
  BOOST_TEST(written(interval{14, 3, 3'723'000'000}) == "14 mons 3 days 3723000000 microseconds");
  BOOST_TEST(written(interval{}) == "0 mons 0 days 0 microseconds");
  for (const interval v : {interval{}, interval{14, -3, 14'706'789'000}, interval{-1, 1, -1},
                           interval{i32_max, i32_max, i64_max}, interval{i32_min, i32_min, i64_min},
                           interval{i32_min, i32_max, 0}}) {
    const std::string text = written(v);
    BOOST_TEST((text_format<interval>::read(text) == v), text);
  }
}

BOOST_AUTO_TEST_CASE(interval_refusals) {
  for (const char* text : {"",
                           " ",
                           "1",
                           "1 week",
                           "1 year2 mons",
                           "1 years  2 mons",
                           "+-1 day",
                           "1 day ",
                           " 1 day",
                           "00:00",
                           "00:60:00",
                           "00:00:60",
                           "00:00:00.1234567",
                           "00:00:00.",
                           "0:0:0",
                           "1 day 00:00:00 1 day",
                           "00:00:00 00:00:00",
                           "1 Day",
                           "1 days ago",
                           "@ 1 day",
                           "P1D",
                           "1 :00:00",
                           "1 day,"})
    check_refused<interval>(text, "not an interval");
  for (const char* text :
       {"178956970 years 8 mons", "-178956970 years -9 mons", "2147483648 days", "-2147483649 days",
        "2562047788:00:54.775808", "-2562047788:00:54.775809",
        "9223372036854775807 microseconds 00:00:00.000001", "99999999999999999999 days",
        "768614336404564651 years"})
    check_refused<interval>(text, "out of range for interval");
}

BOOST_AUTO_TEST_SUITE_END()

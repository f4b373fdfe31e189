// text_format for timestamptz, timestamp and date: ISO text as PostgreSQL prints it with
// DateStyle=ISO and TimeZone=UTC, years beyond 9999 and BC, leap days, infinities, and the
// limits of PostgreSQL's range and of the C++ types.
#include <pgfns/text_format.hpp>

#include "text_format_checks.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <limits>
#include <string>

using namespace std::chrono;
using pgfns::text_format;
using pgfns::test::check_refused;
using pgfns::test::check_text;
using pgfns::test::check_write_refused;

namespace {

pgfns::timestamptz utc(sys_days day, microseconds time = {}) {
  return pgfns::timestamptz(day) + time;
}

pgfns::timestamptz utc_us(std::int64_t us) {
  return pgfns::timestamptz(microseconds(us));
}

// 4714-11-24 00:00:00 BC, the first instant PostgreSQL holds, in microseconds since 1970.
constexpr std::int64_t first_us = -210'866'803'200'000'000;
constexpr std::int64_t year_1_us = -62'135'596'800'000'000;  // 0001-01-01 00:00:00

}  // namespace

BOOST_AUTO_TEST_SUITE(text_format_timestamptz)

BOOST_AUTO_TEST_CASE(utc_text_both_ways) {
  check_text(utc(sys_days{}), "1970-01-01 00:00:00+00");
  check_text(utc(sys_days{2024y / February / 29}, 12h + 34min + 56s + 789ms),
             "2024-02-29 12:34:56.789+00");
  check_text(utc(sys_days{2000y / February / 29}, 1us), "2000-02-29 00:00:00.000001+00");
  check_text(utc(sys_days{1999y / December / 31}, 23h + 59min + 59s + 500ms),
             "1999-12-31 23:59:59.5+00");
  check_text(utc_us(-1), "1969-12-31 23:59:59.999999+00");
  check_text(utc(sys_days{year{10000} / January / 1}), "10000-01-01 00:00:00+00");
  check_text(utc_us(year_1_us), "0001-01-01 00:00:00+00");
  check_text(utc_us(year_1_us - 1), "0001-12-31 23:59:59.999999+00 BC");
  check_text(utc(sys_days{year{0} / February / 29}), "0001-02-29 00:00:00+00 BC");  // 1 BC leaps
  check_text(utc(sys_days{year{-4} / February / 29}), "0005-02-29 00:00:00+00 BC");
  check_text(utc_us(first_us), "4714-11-24 00:00:00+00 BC");
  // The last microsecond before the C++ type's largest value, which is 'infinity'.
  check_text(utc_us(std::numeric_limits<std::int64_t>::max() - 1),
             "294247-01-10 04:00:54.775806+00");
  check_text(pgfns::timestamptz::max(), "infinity");
  check_text(pgfns::timestamptz::min(), "-infinity");
}

BOOST_AUTO_TEST_CASE(other_offsets_are_converted_to_utc) {
  using tf = text_format<pgfns::timestamptz>;
  BOOST_TEST((tf::read("2024-01-01 05:30:00+05:30") == utc(sys_days{2024y / January / 1})));
  BOOST_TEST((tf::read("2023-12-31 21:00:00-03") == utc(sys_days{2024y / January / 1})));
  BOOST_TEST((tf::read("1900-01-01 00:19:32+00:19:32") == utc(sys_days{1900y / January / 1})));
  BOOST_TEST((tf::read("0001-01-01 00:00:00-01 BC") == utc(sys_days{year{0} / January / 1}, 1h)));
}

BOOST_AUTO_TEST_CASE(timestamptz_refusals) {
  using T = pgfns::timestamptz;
  for (const char* text : {"",
                           "2023-02-29 00:00:00+00",
                           "1900-02-29 00:00:00+00",
                           "2024-04-31 00:00:00+00",
                           "2024-13-01 00:00:00+00",
                           "2024-00-10 00:00:00+00",
                           "2024-01-00 00:00:00+00",
                           "0000-01-01 00:00:00+00",
                           "2024-01-01T00:00:00+00",
                           "2024-01-01 24:00:00+00",
                           "2024-01-01 00:60:00+00",
                           "2024-01-01 00:00:60+00",
                           "2024-01-01 00:00:00",
                           "2024-01-01 00:00:00.1234567+00",
                           "2024-01-01 00:00:00.+00",
                           "24-01-01 00:00:00+00",
                           "2024-1-01 00:00:00+00",
                           "2024-01-01 0:00:00+00",
                           "2024-01-01 00:00:00+0",
                           "2024-01-01 00:00:00+00:0",
                           "2024-01-01 00:00:00+00 AD",
                           "2024-01-01 00:00:00+00 BC x",
                           "2024-01-01 00:00:00+00 ",
                           " 2024-01-01 00:00:00+00",
                           "Infinity",
                           "infinityx",
                           " BC",
                           "2024-01-01",
                           "2024-01-01 00:00:00+16",
                           "01/02/2024 00:00:00+00",
                           "-2024-01-01 00:00:00+00"})
    check_refused<T>(text, "not a timestamptz");
  for (const char* text : {"294247-01-10 04:00:54.775807+00", "294276-12-31 23:59:59.999999+00",
                           "4714-11-23 23:59:59.999999+00 BC", "4714-11-24 00:00:00+01 BC",
                           "9999999-01-01 00:00:00+00", "294247-01-10 03:00:54.775807-01"})
    check_refused<T>(text, "out of range for timestamptz");
  check_refused<T>("10000000-01-01 00:00:00+00", "not a timestamptz");
  check_write_refused(utc_us(first_us - 1), "out of range for timestamptz");
  check_write_refused(pgfns::timestamptz::min() + 1us, "out of range for timestamptz");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text_format_timestamp)

BOOST_AUTO_TEST_CASE(local_text_both_ways) {
  const auto local = [](pgfns::timestamptz t) { return pgfns::timestamp(t.time_since_epoch()); };
  check_text(local(utc(sys_days{2024y / February / 29}, 23h + 59min + 59s + 999999us)),
             "2024-02-29 23:59:59.999999");
  check_text(local(utc_us(first_us)), "4714-11-24 00:00:00 BC");
  check_text(local(utc_us(std::numeric_limits<std::int64_t>::max() - 1)),
             "294247-01-10 04:00:54.775806");
  check_text(local(utc(sys_days{year{12345} / June / 7}, 8h)), "12345-06-07 08:00:00");
  check_text(pgfns::timestamp::max(), "infinity");
  check_text(pgfns::timestamp::min(), "-infinity");
}

BOOST_AUTO_TEST_CASE(timestamp_refusals) {
  using T = pgfns::timestamp;
  for (const char* text : {"2024-01-01 00:00:00+00", "2024-01-01", "2023-02-29 00:00:00", ""})
    check_refused<T>(text, "not a timestamp");
  check_refused<T>("4714-11-23 00:00:00 BC", "out of range for timestamp");
  check_refused<T>("294247-01-10 04:00:54.775807", "out of range for timestamp");
  check_write_refused(pgfns::timestamp(microseconds(first_us - 1)), "out of range for timestamp");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text_format_date)

BOOST_AUTO_TEST_CASE(dates_both_ways) {
  check_text(pgfns::date{}, "1970-01-01");
  check_text(pgfns::date{2024y / February / 29}, "2024-02-29");
  check_text(pgfns::date{2000y / February / 29}, "2000-02-29");
  check_text(pgfns::date{year{0} / February / 29}, "0001-02-29 BC");
  check_text(pgfns::date{year{1} / January / 1}, "0001-01-01");
  check_text(pgfns::date{year{0} / December / 31}, "0001-12-31 BC");
  check_text(pgfns::date{days(-2'440'588)}, "4714-11-24 BC");     // Julian day 0
  check_text(pgfns::date{days(2'145'042'905)}, "5874897-12-31");  // PostgreSQL's last
  check_text(pgfns::date{year{32767} / December / 31}, "32767-12-31");
  check_text(pgfns::date::max(), "infinity");
  check_text(pgfns::date::min(), "-infinity");
}

BOOST_AUTO_TEST_CASE(date_refusals) {
  using D = pgfns::date;
  for (const char* text : {"", "2023-02-29", "1900-02-29", "0002-02-29 BC", "2024-1-01", "20240101",
                           "2024-01-01 00:00:00", "2024-01-01 bc", "2024-01-01 BC ", "0000-01-01",
                           "Infinity", "2024-02-30", "12345678-01-01"})
    check_refused<D>(text, "not a date");
  check_refused<D>("4714-11-23 BC", "out of range for date");
  check_refused<D>("5874898-01-01", "out of range for date");
  check_write_refused(D{days(-2'440'589)}, "out of range for date");
  check_write_refused(D{days(2'145'042'906)}, "out of range for date");
  check_write_refused(D::max() - days(1), "out of range for date");
}

BOOST_AUTO_TEST_SUITE_END()

// timestamptz, timestamp and date in PostgreSQL's text format with DateStyle=ISO: years of more
// than four digits, " BC" for years before 1 AD, 'infinity' and '-infinity' for the largest and
// smallest value of the C++ type. Dates are proleptic Gregorian, as PostgreSQL counts them.
#include <pgfns/text_format.hpp>

#include "values/number_text.hpp"
#include "values/text_refusal.hpp"

#include <limits>
#include <stdexcept>

namespace pgfns {
namespace {

constexpr std::int64_t usec_per_second = 1'000'000;
constexpr std::int64_t usec_per_day = 86'400 * usec_per_second;

struct civil_date {
  std::int64_t year = 1970;  // astronomical: 1 BC is 0, 2 BC is -1
  unsigned month = 1;
  unsigned day = 1;
};

// Days since 1970-01-01 (H. Hinnant's algorithm).
std::int64_t days_from_civil(civil_date c) noexcept {
  const std::int64_t y = c.year - (c.month <= 2);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (c.month > 2 ? c.month - 3 : c.month + 9) + 2) / 5 + c.day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

civil_date civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2), month,
          doy - (153 * mp + 2) / 5 + 1};
}

unsigned days_in_month(std::int64_t year, unsigned month) noexcept {
  constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  return month == 2 && leap ? 29 : days[month - 1];
}

// PostgreSQL's range: from 4714-11-24 BC (Julian day 0) to 5874897-12-31 for dates; timestamps
// end in 294276 AD, beyond the microseconds since 1970 that an int64 holds.
constexpr std::int64_t first_day = -2'440'588;
constexpr std::int64_t last_day = 2'145'042'905;
constexpr std::int64_t first_usec = first_day * usec_per_day;

// Reads the text of an ISO date or timestamp from left to right.
class time_text {
 public:
  time_text(std::string_view text, const char* type) : text_(text), type_(type) {}

  [[noreturn]] void refuse() const { detail::refuse_text(std::string("not a ") + type_, text_); }
  [[noreturn]] void out_of_range() const {
    detail::refuse_text(std::string("out of range for ") + type_, text_);
  }

  // Strips " BC" from the end; whether it was there.
  bool before_christ() {
    constexpr std::string_view bc = " BC";
    const bool is_bc = head().size() > bc.size() && head().substr(head().size() - 3) == bc;
    if (is_bc) end_ -= bc.size();
    return is_bc;
  }

  // `min` to `max` digits as a number.
  std::int64_t number(std::size_t min, std::size_t max) {
    std::int64_t v = 0;
    std::size_t n = 0;
    for (; at_ < end_ && n < max && text_[at_] >= '0' && text_[at_] <= '9'; ++at_, ++n)
      v = v * 10 + (text_[at_] - '0');
    if (n < min || (at_ < end_ && n == max && text_[at_] >= '0' && text_[at_] <= '9')) refuse();
    return v;
  }
  unsigned two_digits(std::int64_t max) {
    const std::int64_t v = number(2, 2);
    if (v > max) refuse();
    return static_cast<unsigned>(v);
  }
  bool skip(char c) {
    if (at_ >= end_ || text_[at_] != c) return false;
    ++at_;
    return true;
  }
  void expect(char c) {
    if (!skip(c)) refuse();
  }
  bool done() const { return at_ == end_; }

  // YYYY-MM-DD (four digits or more), as days since 1970-01-01; `bc` counts years back.
  std::int64_t date(bool bc) {
    std::int64_t year = number(4, 7);
    expect('-');
    civil_date c{0, two_digits(12), 0};
    expect('-');
    c.day = two_digits(31);
    if (year == 0 || c.month == 0) refuse();
    c.year = bc ? 1 - year : year;
    if (c.day == 0 || c.day > days_in_month(c.year, c.month)) refuse();
    return days_from_civil(c);
  }

  // HH:MM:SS[.ffffff] as microseconds.
  std::int64_t time_of_day() {
    std::int64_t us = two_digits(23) * 3600;
    expect(':');
    us += two_digits(59) * 60;
    expect(':');
    us = (us + two_digits(59)) * usec_per_second;
    if (skip('.')) {
      const std::size_t from = at_;
      std::int64_t fraction = number(1, 6);
      for (std::size_t n = at_ - from; n < 6; ++n) fraction *= 10;
      us += fraction;
    }
    return us;
  }

  // +HH[:MM[:SS]] as seconds east of UTC.
  std::int64_t utc_offset() {
    const bool negative = skip('-');
    if (!negative) expect('+');
    std::int64_t s = two_digits(15) * 3600;
    if (skip(':')) {
      s += two_digits(59) * 60;
      if (skip(':')) s += two_digits(59);
    }
    return negative ? -s : s;
  }

 private:
  std::string_view head() const { return text_.substr(0, end_); }

  std::string_view text_;
  const char* type_;
  std::size_t at_ = 0;
  std::size_t end_ = text_.size();
};

std::int64_t read_timestamp(std::string_view text, bool with_zone, const char* type) {
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  if (text == "infinity") return max;
  if (text == "-infinity") return std::numeric_limits<std::int64_t>::min();
  time_text t(text, type);
  const bool bc = t.before_christ();
  const std::int64_t days = t.date(bc);
  t.expect(' ');
  std::int64_t us = t.time_of_day();
  const std::int64_t offset = with_zone ? t.utc_offset() : 0;
  if (!t.done()) t.refuse();
  // Days are within ±1e10 here: days * usec_per_day may overflow, nothing before it.
  std::int64_t day_us = 0;
  if (__builtin_mul_overflow(days, usec_per_day, &day_us) ||
      __builtin_add_overflow(day_us, us, &us) ||
      __builtin_sub_overflow(us, offset * usec_per_second, &us))
    t.out_of_range();
  // The largest value stands for 'infinity'.
  if (us < first_usec || us == max) t.out_of_range();
  return us;
}

// YYYY-MM-DD of a day since 1970-01-01, and whether its year is BC.
bool append_date(std::string& out, std::int64_t days) {
  const civil_date c = civil_from_days(days);
  const bool bc = c.year <= 0;
  const std::int64_t year = bc ? 1 - c.year : c.year;
  for (std::int64_t p = 1000; p > year; p /= 10) out.push_back('0');
  detail::append_number(out, year);
  const auto two = [&out](unsigned v) {
    out.push_back(static_cast<char>('0' + v / 10));
    out.push_back(static_cast<char>('0' + v % 10));
  };
  out.push_back('-');
  two(c.month);
  out.push_back('-');
  two(c.day);
  return bc;
}

void write_timestamp(std::int64_t us, bool with_zone, const char* type, std::string& out) {
  if (us == std::numeric_limits<std::int64_t>::max()) {
    out += "infinity";
    return;
  }
  if (us == std::numeric_limits<std::int64_t>::min()) {
    out += "-infinity";
    return;
  }
  if (us < first_usec)
    throw std::invalid_argument(std::string("out of range for ") + type +
                                ": before 4714-11-24 00:00:00 BC, the earliest PostgreSQL holds");
  std::int64_t days = us / usec_per_day;
  std::int64_t rest = us % usec_per_day;
  if (rest < 0) {
    --days;
    rest += usec_per_day;
  }
  const bool bc = append_date(out, days);
  const auto two = [&out](std::int64_t v) {
    out.push_back(static_cast<char>('0' + v / 10));
    out.push_back(static_cast<char>('0' + v % 10));
  };
  const std::int64_t seconds = rest / usec_per_second;
  out.push_back(' ');
  two(seconds / 3600);
  out.push_back(':');
  two(seconds / 60 % 60);
  out.push_back(':');
  two(seconds % 60);
  if (std::int64_t fraction = rest % usec_per_second; fraction != 0) {
    out.push_back('.');
    for (std::int64_t p = usec_per_second / 10; p > 0 && fraction != 0; p /= 10) {
      out.push_back(static_cast<char>('0' + fraction / p));
      fraction %= p;
    }
  }
  if (with_zone) out += "+00";
  if (bc) out += " BC";
}

}  // namespace

void text_format<timestamptz>::write(const timestamptz& v, std::string& out) {
  write_timestamp(v.time_since_epoch().count(), true, "timestamptz", out);
}

timestamptz text_format<timestamptz>::read(std::string_view text) {
  return timestamptz(std::chrono::microseconds(read_timestamp(text, true, "timestamptz")));
}

void text_format<timestamp>::write(const timestamp& v, std::string& out) {
  write_timestamp(v.time_since_epoch().count(), false, "timestamp", out);
}

timestamp text_format<timestamp>::read(std::string_view text) {
  return timestamp(std::chrono::microseconds(read_timestamp(text, false, "timestamp")));
}

void text_format<date>::write(const date& v, std::string& out) {
  const auto days = v.time_since_epoch().count();
  if (v == date::max()) {
    out += "infinity";
  } else if (v == date::min()) {
    out += "-infinity";
  } else if (days < first_day || days > last_day) {
    throw std::invalid_argument(
        "out of range for date: " + std::to_string(days) +
        " days from 1970-01-01, outside 4714-11-24 BC to 5874897-12-31 as PostgreSQL holds");
  } else if (append_date(out, days)) {
    out += " BC";
  }
}

date text_format<date>::read(std::string_view text) {
  if (text == "infinity") return date::max();
  if (text == "-infinity") return date::min();
  time_text t(text, "date");
  const std::int64_t days = t.date(t.before_christ());
  if (!t.done()) t.refuse();
  if (days < first_day || days > last_day) t.out_of_range();
  return date(std::chrono::days(days));
}

}  // namespace pgfns

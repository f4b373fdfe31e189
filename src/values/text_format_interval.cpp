// interval in PostgreSQL's text format. The server prints it with IntervalStyle=postgres
// ("1 year 2 mons -3 days +04:05:06.789", "-00:00:01", "00:00:00"); pgfns writes it as the
// three numbers PostgreSQL stores ("14 mons 3 days 3723000000 microseconds"), which the server
// reads back exactly even at the limits of each field.
#include <pgfns/text_format.hpp>

#include "values/number_text.hpp"
#include "values/text_refusal.hpp"

#include <limits>

namespace pgfns {
namespace {

constexpr std::uint64_t int64_magnitude = std::uint64_t{1} << 63;  // of int64's minimum

class interval_text {
 public:
  explicit interval_text(std::string_view text) : text_(text) {}

  interval read() {
    if (text_.empty()) refuse();
    while (at_ < text_.size()) {
      if (at_ > 0 && !skip(' ')) refuse();
      const bool negative = skip('-');
      if (!negative) skip('+');
      const std::uint64_t n = number(1, 19);
      if (at_digit()) out_of_range();  // beyond any field's range
      if (at_ < text_.size() && text_[at_] == ':') {
        add(microseconds_, signed_value(time_of_day(n), negative));
        if (at_ != text_.size()) refuse();
      } else {
        unit(signed_value(n, negative));
      }
    }
    if (months_ < std::numeric_limits<std::int32_t>::min() ||
        months_ > std::numeric_limits<std::int32_t>::max() ||
        days_ < std::numeric_limits<std::int32_t>::min() ||
        days_ > std::numeric_limits<std::int32_t>::max())
      out_of_range();
    return {static_cast<std::int32_t>(months_), static_cast<std::int32_t>(days_), microseconds_};
  }

 private:
  [[noreturn]] void refuse() const { detail::refuse_text("not an interval", text_); }
  [[noreturn]] void out_of_range() const {
    detail::refuse_text("out of range for interval", text_);
  }

  bool skip(char c) {
    if (at_ >= text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }

  bool at_digit() const { return at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9'; }

  // `min` to `max` digits (a digit after them is left for the caller).
  std::uint64_t number(std::size_t min, std::size_t max) {
    std::uint64_t v = 0;
    std::size_t n = 0;
    for (; n < max && at_digit(); ++at_, ++n)
      v = v * 10 + static_cast<std::uint64_t>(text_[at_] - '0');
    if (n < min) refuse();
    return v;
  }

  // H:MM:SS[.ffffff] after its hours, as microseconds.
  std::uint64_t time_of_day(std::uint64_t hours) {
    std::uint64_t seconds = 0;
    if (!skip(':')) refuse();
    const std::uint64_t minutes = number(2, 2);
    if (!skip(':')) refuse();
    seconds = number(2, 2);
    if (minutes > 59 || seconds > 59) refuse();
    std::uint64_t fraction = 0;
    if (skip('.')) {
      const std::size_t from = at_;
      fraction = number(1, 6);
      for (std::size_t n = at_ - from; n < 6; ++n) fraction *= 10;
    }
    std::uint64_t us = 0;
    if (__builtin_mul_overflow(hours, std::uint64_t{3'600'000'000}, &us) ||
        __builtin_add_overflow(us, (minutes * 60 + seconds) * 1'000'000 + fraction, &us))
      out_of_range();
    return us;
  }

  std::int64_t signed_value(std::uint64_t magnitude, bool negative) const {
    if (magnitude > int64_magnitude || (!negative && magnitude == int64_magnitude)) out_of_range();
    if (magnitude == int64_magnitude) return std::numeric_limits<std::int64_t>::min();
    const auto v = static_cast<std::int64_t>(magnitude);
    return negative ? -v : v;
  }

  void add(std::int64_t& total, std::int64_t v) const {
    if (__builtin_add_overflow(total, v, &total)) out_of_range();
  }

  // " year[s]", " mon[s]", " day[s]" or " microsecond[s]" after a number `v`.
  void unit(std::int64_t v) {
    if (!skip(' ')) refuse();
    const std::size_t from = at_;
    while (at_ < text_.size() && text_[at_] >= 'a' && text_[at_] <= 'z') ++at_;
    std::string_view word = text_.substr(from, at_ - from);
    if (word.size() > 1 && word.back() == 's') word.remove_suffix(1);
    if (word == "year") {
      if (__builtin_mul_overflow(v, 12, &v)) out_of_range();
      add(months_, v);
    } else if (word == "mon") {
      add(months_, v);
    } else if (word == "day") {
      add(days_, v);
    } else if (word == "microsecond") {
      add(microseconds_, v);
    } else {
      refuse();
    }
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::int64_t months_ = 0;
  std::int64_t days_ = 0;
  std::int64_t microseconds_ = 0;
};

}  // namespace

void text_format<interval>::write(const interval& v, std::string& out) {
  detail::append_number(out, v.months);
  out += " mons ";
  detail::append_number(out, v.days);
  out += " days ";
  detail::append_number(out, v.microseconds);
  out += " microseconds";
}

interval text_format<interval>::read(std::string_view text) {
  return interval_text(text).read();
}

}  // namespace pgfns

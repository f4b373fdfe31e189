// float, double and numeric in PostgreSQL's text format.
#include <pgfns/text_format.hpp>

#include "values/number_text.hpp"
#include "values/text_refusal.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace pgfns {
namespace {

template <class Floating>
Floating read_floating(std::string_view text, std::string_view type) {
  // PostgreSQL prints the non-finite values as these words. from_chars would also take "inf",
  // "nan(...)" in any case: those are not PostgreSQL's and are refused below.
  if (text == "NaN") return std::numeric_limits<Floating>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<Floating>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<Floating>::infinity();
  Floating v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range)
    detail::refuse_text("out of range for " + std::string(type), text);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
    detail::refuse_text("not a number of type " + std::string(type), text);
  return v;
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// The number of digits at the start of `s`.
std::size_t digits(std::string_view s) noexcept {
  std::size_t n = 0;
  while (n < s.size() && is_digit(s[n])) ++n;
  return n;
}

// [-]digits[.digits][(e|E)[+|-]digits], NaN, Infinity or -Infinity.
bool numeric_text(std::string_view s) noexcept {
  if (s == "NaN" || s == "Infinity" || s == "-Infinity") return true;
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  std::size_t n = digits(s);
  if (n == 0) return false;
  s.remove_prefix(n);
  if (!s.empty() && s.front() == '.') {
    n = digits(s.substr(1));
    if (n == 0) return false;
    s.remove_prefix(n + 1);
  }
  if (!s.empty() && (s.front() == 'e' || s.front() == 'E')) {
    s.remove_prefix(1);
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
    n = digits(s);
    if (n == 0) return false;
    s.remove_prefix(n);
  }
  return s.empty();
}

// Whether the magnitude of a valid numeric text (not NaN or an infinity) is at least 1: where a
// double overflows rather than underflows.
bool at_least_one(std::string_view s) noexcept {
  if (s.front() == '-') s.remove_prefix(1);
  const auto mantissa_end = s.find_first_of("eE");
  const std::string_view mantissa = s.substr(0, mantissa_end);
  const auto point = mantissa.find('.');
  const std::string_view whole = mantissa.substr(0, point);
  // The power of ten of the first non-zero digit, without the exponent.
  long long power = 0;
  const auto first = whole.find_first_not_of('0');
  if (first != std::string_view::npos) {
    power = static_cast<long long>(whole.size() - first - 1);
  } else if (point != std::string_view::npos) {
    const auto frac = mantissa.substr(point + 1);
    const auto nz = frac.find_first_not_of('0');
    if (nz == std::string_view::npos) return false;  // zero
    power = -static_cast<long long>(nz) - 1;
  } else {
    return false;  // zero
  }
  if (mantissa_end == std::string_view::npos) return power >= 0;
  std::string_view exp = s.substr(mantissa_end + 1);
  const bool negative = exp.front() == '-';
  if (exp.front() == '+' || exp.front() == '-') exp.remove_prefix(1);
  // An exponent of more than 18 digits decides alone.
  if (exp.find_first_not_of('0') != std::string_view::npos &&
      exp.size() - exp.find_first_not_of('0') > 18)
    return !negative;
  long long e = 0;
  std::from_chars(exp.data(), exp.data() + exp.size(), e);
  return power + (negative ? -e : e) >= 0;
}

}  // namespace

numeric::numeric(std::string_view text) {
  if (!numeric_text(text)) detail::refuse_text("not a numeric", text);
  text_.assign(text);
}

numeric::numeric(std::int64_t v) {
  text_.clear();
  detail::append_number(text_, v);
}

double numeric::to_double() const {
  if (text_ == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text_ == "Infinity") return std::numeric_limits<double>::infinity();
  if (text_ == "-Infinity") return -std::numeric_limits<double>::infinity();
  double d = 0;
  const auto [end, ec] = std::from_chars(text_.data(), text_.data() + text_.size(), d);
  if (ec == std::errc::result_out_of_range) {
    // Beyond a double's range: the nearest double is an infinity or a zero.
    d = at_least_one(text_) ? std::numeric_limits<double>::infinity() : 0.0;
    return text_.front() == '-' ? -d : d;
  }
  return d;
}

void text_format<float>::write(const float& v, std::string& out) {
  detail::append_floating(out, v);
}

float text_format<float>::read(std::string_view text) {
  return read_floating<float>(text, "real");
}

void text_format<double>::write(const double& v, std::string& out) {
  detail::append_floating(out, v);
}

double text_format<double>::read(std::string_view text) {
  return read_floating<double>(text, "double precision");
}

void text_format<numeric>::write(const numeric& v, std::string& out) {
  out += v.str();
}

numeric text_format<numeric>::read(std::string_view text) {
  return numeric(text);
}

}  // namespace pgfns

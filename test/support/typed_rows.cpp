#include "typed_rows.hpp"

#include <charconv>
#include <chrono>
#include <stdexcept>

namespace pgfns::test {

namespace {

// Reads exactly `digits` decimal digits at `pos`, moving past them.
int digits_at(std::string_view s, std::size_t& pos, std::size_t digits, std::string_view iso) {
  int v = 0;
  if (pos + digits > s.size())
    throw std::invalid_argument("not an ISO timestamp: " + std::string(iso));
  const auto [end, ec] = std::from_chars(s.data() + pos, s.data() + pos + digits, v);
  if (ec != std::errc() || end != s.data() + pos + digits)
    throw std::invalid_argument("not an ISO timestamp: " + std::string(iso));
  pos += digits;
  return v;
}

void expect_char(std::string_view s, std::size_t& pos, char c, std::string_view iso) {
  if (pos >= s.size() || s[pos] != c)
    throw std::invalid_argument("not an ISO timestamp: " + std::string(iso));
  ++pos;
}

}  // namespace

pgfns::timestamptz instant_of(std::string_view iso) {
  using namespace std::chrono;
  std::size_t p = 0;
  const int y = digits_at(iso, p, 4, iso);
  expect_char(iso, p, '-', iso);
  const int mo = digits_at(iso, p, 2, iso);
  expect_char(iso, p, '-', iso);
  const int d = digits_at(iso, p, 2, iso);
  expect_char(iso, p, 'T', iso);
  const int h = digits_at(iso, p, 2, iso);
  expect_char(iso, p, ':', iso);
  const int mi = digits_at(iso, p, 2, iso);
  expect_char(iso, p, ':', iso);
  const int sec = digits_at(iso, p, 2, iso);
  long long micros = 0;
  if (p < iso.size() && iso[p] == '.') {
    ++p;
    int n = 0;
    for (; p < iso.size() && iso[p] >= '0' && iso[p] <= '9'; ++p, ++n) {
      if (n == 6) throw std::invalid_argument("more than microseconds: " + std::string(iso));
      micros = micros * 10 + (iso[p] - '0');
    }
    for (; n < 6; ++n) micros *= 10;
  }
  if (p >= iso.size() || (iso[p] != '+' && iso[p] != '-'))
    throw std::invalid_argument("no offset: " + std::string(iso));
  const int sign = iso[p++] == '-' ? -1 : 1;
  const int oh = digits_at(iso, p, 2, iso);
  expect_char(iso, p, ':', iso);
  const int om = digits_at(iso, p, 2, iso);
  int os = 0;
  if (p < iso.size()) {
    expect_char(iso, p, ':', iso);
    os = digits_at(iso, p, 2, iso);
  }
  if (p != iso.size()) throw std::invalid_argument("trailing text: " + std::string(iso));
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) throw std::invalid_argument("not a date: " + std::string(iso));
  const auto local = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + microseconds{micros};
  return local - sign * (hours{oh} + minutes{om} + seconds{os});
}

std::string bytea_hex(const pgfns::bytea& b) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "\\x";
  for (std::byte c : b) {
    out.push_back(digits[std::to_integer<unsigned>(c) >> 4]);
    out.push_back(digits[std::to_integer<unsigned>(c) & 15]);
  }
  return out;
}

}  // namespace pgfns::test

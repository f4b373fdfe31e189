#include "schema/yaml/text_check.hpp"

#include <algorithm>

namespace pgfns::detail {
namespace {

// Length of the valid UTF-8 sequence starting at `s[i]`, or 0 when it is invalid
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t utf8_length(std::string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return n;
}

std::string where(std::string_view s, std::size_t i) {
  const auto line = std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(i), '\n') + 1;
  return "line " + std::to_string(line) + ", byte " + std::to_string(i + 1);
}

}  // namespace

std::optional<std::string> text_problem(std::string_view bytes) {
  if (auto nul = bytes.find('\0'); nul != std::string_view::npos) {
    return "is a binary file (NUL byte at " + where(bytes, nul) + ")";
  }
  for (std::size_t i = 0; i < bytes.size();) {
    // Fast path over ASCII.
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t n = utf8_length(bytes, i);
    if (n == 0) return "is not valid UTF-8 text (at " + where(bytes, i) + ")";
    i += n;
  }
  return std::nullopt;
}

}  // namespace pgfns::detail

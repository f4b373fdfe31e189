#include "schema/yaml/text_check.hpp"

#include "common/utf8.hpp"

#include <algorithm>

namespace pgfns::detail {
namespace {

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

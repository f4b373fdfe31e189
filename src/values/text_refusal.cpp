#include "values/text_refusal.hpp"

#include "common/utf8.hpp"

#include <cstddef>
#include <stdexcept>

namespace pgfns::detail {

std::string quoted_excerpt(std::string_view text) {
  constexpr std::size_t max_chars = 40;
  std::size_t end = 0;
  for (std::size_t chars = 0; end < text.size() && chars < max_chars; ++chars) {
    const std::size_t n = utf8_length(text, end);
    end += n == 0 ? 1 : n;  // an invalid byte counts as one character
  }
  std::string out = "\"";
  out += printable(text.substr(0, end));
  if (end < text.size()) out += "...";
  out += '"';
  return out;
}

void refuse_text(std::string_view reason, std::string_view text) {
  std::string what(reason);
  what += ": ";
  what += quoted_excerpt(text);
  throw std::invalid_argument(what);
}

}  // namespace pgfns::detail

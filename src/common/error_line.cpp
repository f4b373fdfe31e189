#include "common/error_line.hpp"

namespace pgfns::detail {
namespace {

bool is_break(char c) {
  return c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool is_blank(char c) {
  return c == ' ' || c == '\t' || is_break(c);
}

}  // namespace

std::string error_line(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_break(c)) {
      while (i + 1 < text.size() && is_blank(text[i + 1])) ++i;
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
      out += out.ends_with(';') ? " " : "; ";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace pgfns::detail

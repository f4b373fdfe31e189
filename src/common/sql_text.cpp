#include "common/sql_text.hpp"

namespace pgfns::detail {

std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string dollar_quote(std::string_view text) {
  // The closing tag must first occur where it is appended: `text` ending in "$pgfns" would
  // otherwise close the quote early.
  std::string closed(text);
  std::string tag = "$pgfns$";
  for (int n = 1;; ++n) {
    closed.resize(text.size());
    closed += tag;
    if (closed.find(tag) == text.size()) break;
    tag = "$pgfns" + std::to_string(n) + "$";
  }
  return tag + closed;
}

std::string substitute_prefix(std::string_view script, std::string_view prefix) {
  static constexpr std::string_view placeholder = "$db_user_prefix$";
  std::string out;
  out.reserve(script.size());
  while (true) {
    const auto at = script.find(placeholder);
    out += script.substr(0, at);
    if (at == std::string_view::npos) break;
    out += prefix;
    script.remove_prefix(at + placeholder.size());
  }
  return out;
}

std::string online_operation(bool downgrade, int version) {
  return (downgrade ? "online_downgrade_v" : "online_migration_v") + std::to_string(version);
}

std::string one_line(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

namespace {

// The length of the valid UTF-8 sequence of two or more bytes at the start of `s`, 0 when there
// is none (an ASCII byte, a stray continuation byte, an overlong form, a surrogate, past
// U+10FFFF, a sequence cut short) or when it encodes a C1 control character.
std::size_t utf8_sequence(std::string_view s) noexcept {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b = byte(0);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    if (b == 0xC2) lo = 0xA0;  // not U+0080..U+009F, the C1 control characters
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    if (b == 0xE0) lo = 0xA0;
    if (b == 0xED) hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    if (b == 0xF0) lo = 0x90;
    if (b == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < lo || byte(1) > hi) return 0;
  for (std::size_t i = 2; i < n; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return n;
}

}  // namespace

std::string printable(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\\\";
      ++i;
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
    } else if (const std::size_t n = c >= 0x80 ? utf8_sequence(text.substr(i)) : 0; n != 0) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xF];
      ++i;
    }
  }
  return out;
}

int line_of_position(std::string_view text, int position) {
  if (position <= 0) return 0;
  int line = 1;
  int chars = 0;
  for (char c : text) {
    // Count code points: every byte except UTF-8 continuation bytes starts one.
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++chars == position) return line;
    if (c == '\n') ++line;
  }
  return 0;
}

}  // namespace pgfns::detail

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

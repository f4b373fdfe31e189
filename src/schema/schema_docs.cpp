#include <pgfns/schema_docs.hpp>

#include <map>
#include <string>

namespace pgfns {
namespace {

// SQL fragments may span lines; in the docs they read best on one line.
std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string code(std::string_view text) {
  const std::string s = one_line(text);
  if (s.empty()) return "none";
  const std::string_view fence = s.find('`') == std::string::npos ? "`" : "`` ";
  const std::string_view close = fence.size() == 1 ? "`" : " ``";
  return std::string(fence) + s + std::string(close);
}

std::string trim_end(std::string_view text) {
  const auto end = text.find_last_not_of(" \t\r\n");
  return end == std::string_view::npos ? std::string() : std::string(text.substr(0, end + 1));
}

void describe(std::string& out, const resolved_method& r, bool with_service) {
  const method& m = r.definition;
  out += "### `" + m.name + "`\n\n";
  if (with_service) out += "* Service: `" + normalize_service_name(m.service_name) + "`\n";
  out += "* Mode: " + std::string(to_string(m.mode)) + "\n";
  out += "* Arguments: " + code(m.args) + "\n";
  out += "* Returns: " + code(m.returns) + "\n";
  out += "* Last defined in version: " + std::to_string(r.defined_in) + "\n\n";
  const std::string description = trim_end(m.description);
  if (!description.empty()) out += description + "\n\n";
}

// Text for a markdown table cell: on one line, with `|` escaped.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : one_line(text)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string four_digits(int number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return digits;
}

}  // namespace

std::string methods_markdown(const schema& s) {
  std::map<std::string, std::vector<const resolved_method*>> current;  // by service
  std::vector<const resolved_method*> deprecated;
  for (const resolved_method& r : s.methods()) {  // sorted by name
    if (r.definition.deprecated) {
      deprecated.push_back(&r);
    } else {
      current[normalize_service_name(r.definition.service_name)].push_back(&r);
    }
  }
  std::string out = "# Stored functions\n\n";
  for (const auto& [service, methods] : current) {
    out += "## Service `" + service + "`\n\n";
    for (const resolved_method* r : methods) describe(out, *r, false);
  }
  out += "## Deprecated methods\n\n";
  if (deprecated.empty()) out += "None.\n\n";
  for (const resolved_method* r : deprecated) describe(out, *r, true);
  out.pop_back();  // one newline at the end
  return out;
}

std::string tables_markdown(const schema& s) {
  std::string out = "# Tables\n\n";
  if (s.tables().empty()) out += "None.\n\n";
  for (const table_columns& t : s.tables()) {
    out += "## `" + t.name + "`\n\n";
    if (t.columns.empty()) {
      out += "No columns.\n\n";
      continue;
    }
    out += "| Column | Type |\n| --- | --- |\n";
    for (const auto& [column, type] : t.columns) {
      out += "| " + cell(code(column)) + " | " + cell(code(type)) + " |\n";
    }
    out += "\n";
  }
  out.pop_back();  // one newline at the end
  return out;
}

std::string versions_markdown(const schema& s) {
  std::string out = "# Versions\n\n| Version | Description |\n| --- | --- |\n";
  for (const version& v : s.versions()) {
    out += "| " + four_digits(v.number) + " | " + cell(v.description) + " |\n";
  }
  return out;
}

std::string schema_markdown(const schema& s) {
  return methods_markdown(s) + "\n" + tables_markdown(s) + "\n" + versions_markdown(s);
}

}  // namespace pgfns

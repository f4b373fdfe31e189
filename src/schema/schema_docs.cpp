#include <pgfns/schema_docs.hpp>

#include <map>

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

}  // namespace pgfns

// "Procedures are forever": the checks across versions, shared by the YAML and JSON readers.
#include "schema/checks/schema_validate.hpp"

#include <unordered_map>

namespace pgfns::detail {
namespace {

// Long values (multi-line return types) are shortened in messages.
std::string shorten(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  // Shortened in place: GCC 12 at -O2 reports `out.substr(0, 77) + "..."` as out of bounds
  // (a false -Warray-bounds).
  if (out.size() > 80) {
    out.resize(77);
    out += "...";
  }
  return '"' + out + '"';
}

void check_unchanged(const location& where, const std::string& field, const char* key,
                     std::string_view first, std::string_view now, int first_version) {
  if (first == now) return;
  where.fail(field + "." + key,
             "changes " + std::string(key) + " from " + shorten(first) +
                 " (as defined in version " + std::to_string(first_version) + ") to " +
                 shorten(now) + ": a method's mode, serviceName, args and returns never change");
}

struct history {
  const method* first = nullptr;
  int first_version = 0;
  bool deprecated = false;
  int deprecated_since = 0;
};

// A redefinition without `deprecated: true` of a method that was deprecated.
struct lapse {
  std::string_view name;
  std::size_t version_index;
  int deprecated_since;
};

}  // namespace

void check_history(const std::vector<raw_version>& raw, const std::vector<version>& versions,
                   std::vector<std::string>& warnings) {
  std::unordered_map<std::string_view, history> methods;
  std::vector<lapse> lapses;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    const location& where = raw[i].where;
    const int number = versions[i].number;
    for (const method& m : versions[i].methods) {
      const std::string field = "methods." + m.name;
      auto it = methods.find(m.name);
      if (m.stub) {
        if (it == methods.end()) {
          where.fail(field, "is a stub ({deprecated: true}) for method " + m.name +
                                ", which no earlier version defines");
        }
        if (!it->second.deprecated) it->second.deprecated_since = number;
        it->second.deprecated = true;
        continue;
      }
      if (it == methods.end()) {
        methods.emplace(m.name, history{&m, number, m.deprecated, m.deprecated ? number : 0});
        continue;
      }
      history& h = it->second;
      check_unchanged(where, field, "mode", to_string(h.first->mode), to_string(m.mode),
                      h.first_version);
      check_unchanged(where, field, "serviceName", h.first->service_name, m.service_name,
                      h.first_version);
      check_unchanged(where, field, "args", h.first->args, m.args, h.first_version);
      check_unchanged(where, field, "returns", h.first->returns, m.returns, h.first_version);
      if (h.deprecated && !m.deprecated) lapses.push_back({m.name, i, h.deprecated_since});
      if (m.deprecated && !h.deprecated) h.deprecated_since = number;
      h.deprecated = m.deprecated;
    }
  }
  // Once deprecated, a method stays deprecated. A redefinition that forgets the flag is refused
  // unless a later version deprecates the method again (Taskcluster's version 60 does this), in
  // which case it is reported as a warning.
  for (const lapse& l : lapses) {
    if (methods.at(l.name).deprecated) continue;
    raw[l.version_index].where.fail(
        "methods." + std::string(l.name) + ".deprecated",
        "missing: method " + std::string(l.name) + " is deprecated since version " +
            std::to_string(l.deprecated_since) +
            " and is redefined here without deprecated: true; once deprecated, a method stays "
            "deprecated");
  }
  for (const lapse& l : lapses) {
    const location& where = raw[l.version_index].where;
    warnings.push_back(where.file + ": " + where.field("methods." + std::string(l.name)) +
                       ": redefines a method deprecated since version " +
                       std::to_string(l.deprecated_since) +
                       " without deprecated: true; accepted because a later version deprecates "
                       "it again");
  }
}

}  // namespace pgfns::detail

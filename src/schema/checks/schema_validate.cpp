// The semantic checks of a schema, shared by the YAML and the JSON readers: version numbers,
// scripts and method entries. The checks across versions are in schema_history.cpp, those of
// access and tables in schema_access_check.cpp.
#include "schema/checks/schema_validate.hpp"
#include "schema/schema_raw.hpp"
#include "schema/signature.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace pgfns::detail {

std::string location::field(std::string_view field) const {
  if (prefix.empty()) return std::string(field);
  if (field.empty()) return prefix;
  std::string out = prefix;
  out += '.';
  out += field;
  return out;
}

void location::fail(std::string_view field, std::string message) const {
  throw schema_error(file, this->field(field), std::move(message));
}

bool is_method_name(std::string_view name) noexcept {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool is_service_name(std::string_view name) noexcept {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

void check_version_numbers(std::vector<numbered_source> sources, const std::string& gap_file,
                           const std::string& gap_field) {
  if (sources.empty())
    throw schema_error(gap_file, gap_field, "no versions (version 1 is missing)");
  std::stable_sort(sources.begin(), sources.end(),
                   [](const auto& a, const auto& b) { return a.number < b.number; });
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& s = sources[i];
    if (s.number < 1) {
      throw schema_error(
          s.file, s.field,
          "version " + std::to_string(s.number) + " is invalid: versions start at 1");
    }
    if (i > 0 && sources[i - 1].number == s.number) {
      throw schema_error(s.file, s.field,
                         "duplicate version number " + std::to_string(s.number) + " (" +
                             sources[i - 1].label + " and " + s.label + ")");
    }
    const int expected = i == 0 ? 1 : sources[i - 1].number + 1;
    if (s.number > expected) {
      std::string have =
          i == 0 ? "the lowest is " + s.label : "have " + sources[i - 1].label + ", " + s.label;
      throw schema_error(gap_file, gap_field,
                         "version " + std::to_string(expected) + " is missing (" + have + ")");
    }
  }
}

void check_text(const location& where, std::string_view field, std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    where.fail(field, "contains a NUL character, which PostgreSQL text cannot hold");
  }
}

namespace {

void check_scripts(const raw_version& v) {
  const bool has_migration = v.migration_script.has_value();
  if (has_migration != v.downgrade_script.has_value()) {
    v.where.fail(has_migration ? "downgradeScript" : "migrationScript",
                 has_migration ? "missing: a version with a migrationScript needs a "
                                 "downgradeScript too (both or neither)"
                               : "missing: a version with a downgradeScript needs a "
                                 "migrationScript too (both or neither)");
  }
  check_text(v.where, "description", v.description);
  for (auto [name, script] : {std::pair{"migrationScript", &v.migration_script},
                              std::pair{"downgradeScript", &v.downgrade_script}}) {
    if (!script->has_value()) continue;
    if ((*script)->find_first_not_of(" \t\r\n") == std::string::npos)
      v.where.fail(name, "is empty");
    check_text(v.where, name, **script);
  }
}

// Turns one raw entry into a method: a stub or a complete definition.
method check_method(const raw_version& v, raw_method&& m, const std::string& field) {
  if (!is_method_name(m.name)) {
    v.where.fail(field, "invalid method name \"" + m.name +
                            "\": use only lowercase letters, digits and '_' ([a-z0-9_]+)");
  }
  method out;
  out.name = std::move(m.name);
  const bool defines = m.description || m.mode || m.service_name || m.args || m.returns || m.body;
  if (!defines) {
    if (!m.deprecated) v.where.fail(field, "is empty: a method needs a definition or is a stub");
    if (!*m.deprecated) {
      v.where.fail(field + ".deprecated",
                   "is false in an entry with no definition: a stub is exactly "
                   "{deprecated: true}");
    }
    out.stub = out.deprecated = true;
    return out;
  }
  const std::pair<const char*, std::optional<std::string>*> required[] = {
      {"description", &m.description},  {"mode", &m.mode},
      {"serviceName", &m.service_name}, {"args", &m.args},
      {"returns", &m.returns},          {"body", &m.body}};
  for (auto [key, value] : required) {
    if (!value->has_value()) {
      v.where.fail(field, std::string("missing ") + key +
                              " (a method that is not a stub {deprecated: true} needs "
                              "description, mode, serviceName, args, returns and body)");
    }
    if (value != &m.args && (*value)->find_first_not_of(" \t\r\n") == std::string::npos) {
      v.where.fail(field + "." + key, "is empty");
    }
    check_text(v.where, field + "." + key, **value);
  }
  if (*m.mode == "read") {
    out.mode = method_mode::read;
  } else if (*m.mode == "write") {
    out.mode = method_mode::write;
  } else {
    v.where.fail(field + ".mode", "is \"" + *m.mode + "\"; it must be read or write");
  }
  // An argument list that does not parse is refused here rather than when the function is
  // created: calls are checked against the parsed parameters (client/call/call_rules.hpp), so
  // every method of a loaded schema has them.
  try {
    (void)parse_signature(*m.args);
  } catch (const std::invalid_argument& e) {
    v.where.fail(field + ".args", e.what());
  }
  if (!is_service_name(*m.service_name)) {
    v.where.fail(field + ".serviceName",
                 "invalid service name \"" + *m.service_name + "\": use only [a-z0-9_-]");
  }
  out.deprecated = m.deprecated.value_or(false);
  out.description = std::move(*m.description);
  out.service_name = std::move(*m.service_name);
  out.args = std::move(*m.args);
  out.returns = std::move(*m.returns);
  out.body = std::move(*m.body);
  return out;
}

}  // namespace

void check_versions(std::vector<raw_version>& raw, const location& versions_where,
                    std::vector<version>& out) {
  std::vector<numbered_source> numbers;
  numbers.reserve(raw.size());
  for (const auto& v : raw) {
    const auto& label = v.where.prefix.empty() ? v.where.file : v.where.prefix;
    numbers.push_back({v.number, label, v.where.file, v.where.field("version")});
  }
  check_version_numbers(std::move(numbers), versions_where.file, versions_where.field(""));
  std::sort(raw.begin(), raw.end(),
            [](const auto& a, const auto& b) { return a.number < b.number; });

  out.reserve(raw.size());
  for (auto& v : raw) {
    check_scripts(v);
    version& built = out.emplace_back();
    built.number = v.number;
    built.description = std::move(v.description);
    built.migration_script = std::move(v.migration_script);
    built.downgrade_script = std::move(v.downgrade_script);
    built.methods.reserve(v.methods.size());
    std::unordered_set<std::string_view> seen;
    for (auto& m : v.methods) {
      const std::string field = "methods." + m.name;
      built.methods.push_back(check_method(v, std::move(m), field));
      if (!seen.insert(built.methods.back().name).second) {
        v.where.fail(field, "duplicate method " + built.methods.back().name +
                                ": a method appears once per version");
      }
    }
  }
}

}  // namespace pgfns::detail

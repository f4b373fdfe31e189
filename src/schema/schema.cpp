// Building a schema from checked parts, and looking things up in it.
#include <pgfns/schema.hpp>

#include "schema/checks/schema_validate.hpp"
#include "schema/schema_raw.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <unordered_map>

namespace pgfns {
namespace {

// Every method existing at versions[0..count), stubs resolved, sorted by name.
std::vector<resolved_method> resolve_methods(const std::vector<version>& versions,
                                             std::size_t count) {
  std::vector<resolved_method> out;
  std::unordered_map<std::string_view, std::size_t> position;
  for (std::size_t i = 0; i < count; ++i) {
    const version& v = versions[i];
    for (const method& m : v.methods) {
      auto it = position.find(m.name);
      if (m.stub) {  // checked: a stub follows a definition
        out[it->second].definition.deprecated = true;
      } else if (it == position.end()) {
        position.emplace(m.name, out.size());
        out.push_back({m, v.number, v.number});
      } else {
        resolved_method& r = out[it->second];
        r.definition = m;
        r.defined_in = v.number;
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const resolved_method& a, const resolved_method& b) {
    return a.definition.name < b.definition.name;
  });
  return out;
}

}  // namespace

std::string_view to_string(method_mode m) noexcept {
  return m == method_mode::read ? "read" : "write";
}

std::string_view to_string(table_access a) noexcept {
  return a == table_access::read ? "read" : "write";
}

std::string normalize_service_name(std::string_view service) {
  std::string out(service);
  std::replace(out.begin(), out.end(), '-', '_');
  return out;
}

std::string service_user_name(std::string_view prefix, std::string_view service) {
  std::string out(prefix);
  out += '_';
  out += normalize_service_name(service);
  return out;
}

schema schema_builder::build(detail::raw_schema raw) {
  schema s;
  detail::check_versions(raw.versions, raw.versions_where, s.versions_);
  detail::check_history(raw.versions, s.versions_, s.warnings_);
  detail::check_access(raw, s.versions_, s.access_, s.tables_, s.warnings_);
  resolve(s);
  return s;
}

void schema_builder::resolve(schema& s) {
  s.latest_methods_ = resolve_methods(s.versions_, s.versions_.size());
  for (std::size_t i = 0; i < s.latest_methods_.size(); ++i) {
    s.index_.emplace(s.latest_methods_[i].definition.name, i);
  }
}

const version* schema::find_version(int number) const noexcept {
  if (number < 1 || number > latest_version()) return nullptr;
  return &versions_[static_cast<std::size_t>(number - 1)];
}

const resolved_method* schema::find_method(std::string_view name) const noexcept {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &latest_methods_[it->second];
}

std::vector<resolved_method> schema::all_methods(int at_version) const {
  if (at_version < 1 || at_version > latest_version()) {
    throw std::out_of_range("schema version " + std::to_string(at_version) +
                            " does not exist (the schema has versions 1 to " +
                            std::to_string(latest_version()) + ")");
  }
  if (at_version == latest_version()) return latest_methods_;
  return resolve_methods(versions_, static_cast<std::size_t>(at_version));
}

std::vector<std::string> schema::services() const {
  std::set<std::string> names;
  for (const auto& a : access_) names.insert(normalize_service_name(a.name));
  for (const auto& m : latest_methods_) {
    names.insert(normalize_service_name(m.definition.service_name));
  }
  return {names.begin(), names.end()};
}

}  // namespace pgfns

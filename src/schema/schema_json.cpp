// The schema as one JSON document, and back. The document keeps everything the YAML tree says
// (scripts and bodies as text), in a fixed key order, so that equal schemas serialise to equal
// bytes. Reading checks the shape strictly, then runs the same checks as the YAML reader.
#include <pgfns/schema.hpp>

#include "schema/schema_raw.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <limits>

namespace pgfns {
namespace json = boost::json;
namespace {

constexpr std::string_view format_name = "pgfns-schema/1";

json::object method_json(const method& m) {
  json::object o;
  o["name"] = m.name;
  o["stub"] = m.stub;
  o["deprecated"] = m.deprecated;
  if (m.stub) return o;
  o["description"] = m.description;
  o["mode"] = to_string(m.mode);
  o["serviceName"] = m.service_name;
  o["args"] = m.args;
  o["returns"] = m.returns;
  o["body"] = m.body;
  return o;
}

json::object version_json(const version& v) {
  json::object o;
  o["version"] = v.number;
  o["description"] = v.description;
  if (v.migration_script) o["migrationScript"] = *v.migration_script;
  if (v.downgrade_script) o["downgradeScript"] = *v.downgrade_script;
  json::array methods;
  methods.reserve(v.methods.size());
  for (const method& m : v.methods) methods.push_back(method_json(m));
  o["methods"] = std::move(methods);
  return o;
}

// Strict accessors on one JSON object; `path` names it in errors ("versions[2]").
class reader {
 public:
  reader(const detail::location& where, std::string path, const json::value& v)
      : where_(where), path_(std::move(path)) {
    if (!v.is_object()) fail(path_, "must be an object, not " + kind(v));
    object_ = &v.get_object();
  }

  // Refuses every key not in `keys`.
  void allow(std::initializer_list<std::string_view> keys) const {
    for (const auto& entry : *object_) {
      if (std::find(keys.begin(), keys.end(), entry.key()) == keys.end()) {
        fail(field(entry.key()), "unknown key");
      }
    }
  }
  const json::object& object() const { return *object_; }
  std::string field(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const json::value& require(std::string_view key) const {
    if (const json::value* v = object_->if_contains(key)) return *v;
    fail(field(key), "missing");
  }
  std::optional<std::string> text(std::string_view key) const {
    const json::value* v = object_->if_contains(key);
    if (!v) return std::nullopt;
    if (!v->is_string()) fail(field(key), "must be a string, not " + kind(*v));
    return std::string(v->get_string());
  }
  std::string required_text(std::string_view key) const {
    require(key);
    return *text(key);
  }
  std::optional<bool> boolean(std::string_view key) const {
    const json::value* v = object_->if_contains(key);
    if (!v) return std::nullopt;
    if (!v->is_bool()) fail(field(key), "must be true or false, not " + kind(*v));
    return v->get_bool();
  }
  const json::array& array(std::string_view key) const {
    const json::value& v = require(key);
    if (!v.is_array()) fail(field(key), "must be an array, not " + kind(v));
    return v.get_array();
  }
  [[noreturn]] void fail(const std::string& field, std::string message) const {
    throw schema_error(where_.file, field, std::move(message));
  }

  static std::string kind(const json::value& v) {
    switch (v.kind()) {
      case json::kind::null:
        return "null";
      case json::kind::bool_:
        return "a boolean";
      case json::kind::int64:
      case json::kind::uint64:
      case json::kind::double_:
        return "a number";
      case json::kind::string:
        return "a string";
      case json::kind::array:
        return "an array";
      case json::kind::object:
        return "an object";
    }
    return "a value";
  }

 private:
  const detail::location& where_;
  std::string path_;
  const json::object* object_ = nullptr;
};

detail::raw_method read_method(const detail::location& where, const reader& version,
                               const json::value& v, std::size_t index) {
  detail::raw_method m;
  m.name = reader(where, version.field("methods[" + std::to_string(index) + "]"), v)
               .required_text("name");
  const reader r(where, version.field("methods." + m.name), v);
  r.require("stub");
  const bool stub = *r.boolean("stub");
  m.deprecated = r.boolean("deprecated");
  if (stub) {
    r.allow({"name", "stub", "deprecated"});
    return m;
  }
  r.allow({"name", "stub", "deprecated", "description", "mode", "serviceName", "args", "returns",
           "body"});
  m.description = r.text("description");
  m.mode = r.text("mode");
  m.service_name = r.text("serviceName");
  m.args = r.text("args");
  m.returns = r.text("returns");
  m.body = r.text("body");
  if (!m.description && !m.mode && !m.service_name && !m.args && !m.returns && !m.body) {
    r.fail(r.field("stub"), "is false but the method has no definition");
  }
  return m;
}

detail::raw_version read_version(const std::string& source, const json::value& v,
                                 std::size_t index) {
  detail::raw_version out;
  out.where = {source, "versions[" + std::to_string(index) + "]"};
  const reader r(out.where, out.where.prefix, v);
  r.allow({"version", "description", "migrationScript", "downgradeScript", "methods"});
  const json::value& number = r.require("version");
  const auto n = number.if_int64();
  if (!n || *n < std::numeric_limits<int>::min() || *n > std::numeric_limits<int>::max()) {
    r.fail(r.field("version"), "must be an integer, not " + reader::kind(number));
  }
  out.number = static_cast<int>(*n);
  out.description = r.text("description").value_or("");
  out.migration_script = r.text("migrationScript");
  out.downgrade_script = r.text("downgradeScript");
  const json::array& methods = r.array("methods");
  out.methods.reserve(methods.size());
  for (std::size_t i = 0; i < methods.size(); ++i) {
    out.methods.push_back(read_method(out.where, r, methods[i], i));
  }
  return out;
}

void read_access(const json::value& v, detail::raw_schema& raw) {
  const reader r(raw.access_where, "access", v);
  for (const auto& entry : r.object()) {
    const std::string service(entry.key());
    const reader s(raw.access_where, r.field(service), entry.value());
    s.allow({"tables"});
    const reader tables(raw.access_where, s.field("tables"), s.require("tables"));
    auto& grants = raw.access.emplace_back(service, detail::raw_table_grants{}).second;
    for (const auto& grant : tables.object()) {
      grants.emplace_back(std::string(grant.key()), tables.required_text(grant.key()));
    }
  }
}

void read_tables(const json::value& v, detail::raw_schema& raw) {
  const reader r(raw.tables_where, "tables", v);
  for (const auto& entry : r.object()) {
    table_columns& t = raw.tables.emplace_back();
    t.name = entry.key();
    const reader columns(raw.tables_where, r.field(t.name), entry.value());
    for (const auto& column : columns.object()) {
      t.columns.emplace_back(std::string(column.key()), columns.required_text(column.key()));
    }
  }
}

}  // namespace

json::value schema::to_json() const {
  json::object o;
  o["format"] = format_name;
  json::array versions;
  versions.reserve(versions_.size());
  for (const version& v : versions_) versions.push_back(version_json(v));
  o["versions"] = std::move(versions);
  json::object access;
  for (const service_access& a : access_) {
    json::object tables;
    for (const auto& [table, mode] : a.tables) tables[table] = to_string(mode);
    access[a.name] = json::object{{"tables", std::move(tables)}};
  }
  o["access"] = std::move(access);
  json::object tables;
  for (const table_columns& t : tables_) {
    json::object columns;
    for (const auto& [column, type] : t.columns) columns[column] = type;
    tables[t.name] = std::move(columns);
  }
  o["tables"] = std::move(tables);
  return o;
}

std::string schema::to_json_text() const {
  return json::serialize(to_json());
}

schema schema::from_json(const json::value& v, std::string_view source) {
  detail::raw_schema raw;
  const std::string file(source);
  raw.versions_where = {file, "versions"};
  raw.access_where = {file, "access"};
  raw.tables_where = {file, "tables"};
  const reader top(raw.versions_where, "", v);
  top.allow({"format", "versions", "access", "tables"});
  if (top.required_text("format") != format_name) {
    top.fail("format", "is not " + std::string(format_name) + " (not a pgfns schema document?)");
  }
  const json::array& versions = top.array("versions");
  raw.versions.reserve(versions.size());
  for (std::size_t i = 0; i < versions.size(); ++i) {
    raw.versions.push_back(read_version(file, versions[i], i));
  }
  read_access(top.require("access"), raw);
  read_tables(top.require("tables"), raw);
  return schema_builder::build(std::move(raw));
}

schema schema::from_json_text(std::string_view text, std::string_view source) {
  json::stream_parser parser;
  json::error_code ec;
  const std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    const std::string_view before = text.substr(0, std::min(consumed, text.size()));
    const auto line = std::count(before.begin(), before.end(), '\n') + 1;
    const auto column = before.size() - (before.rfind('\n') + 1) + 1;
    throw schema_error(std::string(source), "",
                       "invalid JSON at line " + std::to_string(line) + ", column " +
                           std::to_string(column) + ": " + ec.message());
  }
  return from_json(parser.release(), source);
}

}  // namespace pgfns

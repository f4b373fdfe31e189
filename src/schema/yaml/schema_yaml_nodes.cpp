// YAML documents -> raw schema parts, with strict shape checks. Scalars are typed by the
// YAML 1.2 core schema: a plain `5`, `true` or `~` is a number, a boolean or null, never
// text (quote it to make it text); `version` must be a plain decimal integer.
#include "schema/yaml/schema_yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <unordered_map>

namespace pgfns::detail {
namespace {

scalar_kind kind_of(const YAML::Node& n) {
  if (n.IsNull()) return scalar_kind::null;
  const std::string& tag = n.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return scalar_kind::text;
  if (tag == "?") return resolve_plain(n.Scalar());
  return scalar_kind::tagged;
}

std::string describe(const YAML::Node& n) {
  if (n.IsMap()) return "a map";
  if (n.IsSequence()) return "a list";
  switch (kind_of(n)) {
    case scalar_kind::null:
      return "empty (null)";
    case scalar_kind::boolean:
      return "a boolean (" + n.Scalar() + ")";
    case scalar_kind::integer:
    case scalar_kind::number:
      return "a number (" + n.Scalar() + ")";
    case scalar_kind::tagged:
      return "a value tagged " + n.Tag();
    case scalar_kind::text:
      break;
  }
  return n.Scalar().size() <= 40 ? "text (\"" + n.Scalar() + "\")" : "text";
}

int line_of(const YAML::Node& n) {
  return n.Mark().is_null() ? 0 : n.Mark().line + 1;
}
std::string at(int line) {
  return line > 0 ? " (line " + std::to_string(line) + ")" : "";
}

std::string join(const std::string& field, const std::string& key) {
  return field.empty() ? key : field + "." + key;
}

// Calls f(key, value, line) for each entry of a map, refusing keys that are not text and
// duplicate keys (yaml-cpp keeps both; YAML forbids them).
template <class F>
void for_each_entry(const location& where, const YAML::Node& map, const std::string& field, F&& f) {
  std::unordered_map<std::string, int> lines;
  for (const auto& entry : map) {
    const YAML::Node& key = entry.first;
    const int line = line_of(key);
    if (!key.IsScalar()) {
      where.fail(field, "has a key that is " + describe(key) + "; keys must be text" + at(line));
    }
    auto [it, added] = lines.emplace(key.Scalar(), line);
    if (!added) {
      where.fail(join(field, key.Scalar()), "duplicate key " + key.Scalar() + " (lines " +
                                                std::to_string(it->second) + " and " +
                                                std::to_string(line) + ")");
    }
    f(key.Scalar(), entry.second, line);
  }
}

void require_map(const location& where, const std::string& field, const YAML::Node& n, int line,
                 const char* what) {
  if (!n.IsMap())
    where.fail(field, std::string("must be ") + what + ", not " + describe(n) + at(line));
}

std::string text_value(const location& where, const std::string& field, const YAML::Node& n,
                       int line) {
  if (n.IsScalar() && kind_of(n) == scalar_kind::text) return n.Scalar();
  const bool scalar = n.IsScalar() && !n.IsNull();
  where.fail(field, "must be text, not " + describe(n) + at(line) +
                        (scalar ? "; quote it if it is meant as text" : ""));
}

bool boolean(const location& where, const std::string& field, const YAML::Node& n, int line) {
  if (n.IsScalar() && kind_of(n) == scalar_kind::boolean)
    return n.Scalar()[0] != 'f' && n.Scalar()[0] != 'F';
  where.fail(field, "must be true or false, not " + describe(n) + at(line));
}

int version_number(const location& where, const YAML::Node& n, int line) {
  int value = 0;
  if (n.IsScalar() && n.Tag() == "?" && is_decimal(n.Scalar())) {
    const std::string& s = n.Scalar();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc{} && end == s.data() + s.size()) return value;
  }
  where.fail("version", "must be a positive integer, not " + describe(n) + at(line));
}

YAML::Node load_document(const location& where, const std::string& text, const char* what) {
  YAML::Node doc;
  try {
    if (const auto count = count_yaml_documents(where, text); count > 1) {
      where.fail("", "contains " + std::to_string(count) + " YAML documents; expected one");
    }
    doc = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    fail_yaml_syntax(where, e.mark.is_null() ? -1 : e.mark.line, e.mark.column, e.msg);
  }
  if (doc.IsNull()) {
    where.fail("", std::string("is empty; expected ") + what + " (write {} for an empty map)");
  }
  require_map(where, "", doc, line_of(doc), what);
  return doc;
}

// Runs `parse`, turning any yaml-cpp exception into a schema_error naming the file.
template <class F>
auto guarded(const location& where, F&& parse) {
  try {
    return parse();
  } catch (const YAML::Exception& e) {
    where.fail("", std::string("YAML error: ") + e.what());
  }
}

raw_method parse_method(const location& where, const std::string& field, const YAML::Node& n,
                        const script_resolver& resolve) {
  raw_method m;
  for_each_entry(where, n, field, [&](const std::string& key, const YAML::Node& value, int line) {
    const std::string f = join(field, key);
    if (key == "description")
      m.description = text_value(where, f, value, line);
    else if (key == "mode")
      m.mode = text_value(where, f, value, line);
    else if (key == "serviceName")
      m.service_name = text_value(where, f, value, line);
    else if (key == "args")
      m.args = text_value(where, f, value, line);
    else if (key == "returns")
      m.returns = text_value(where, f, value, line);
    else if (key == "body")
      m.body = resolve(where, f, text_value(where, f, value, line));
    else if (key == "deprecated")
      m.deprecated = boolean(where, f, value, line);
    else {
      where.fail(f,
                 "unknown key (a method has description, mode, serviceName, args, returns, "
                 "body and deprecated)" +
                     at(line));
    }
  });
  return m;
}

void parse_methods(const location& where, const YAML::Node& n, int line, raw_version& v,
                   const script_resolver& resolve) {
  if (n.IsSequence() && n.size() == 0) return;  // `methods: []`, as in Taskcluster's 0004.yml
  require_map(where, "methods", n, line, "a map of method name to definition ({} for none)");
  v.methods.reserve(n.size());
  for_each_entry(where, n, "methods", [&](const std::string& name, const YAML::Node& value, int l) {
    const std::string field = "methods." + name;
    require_map(where, field, value, l, "a map (a definition, or the stub {deprecated: true})");
    v.methods.push_back(parse_method(where, field, value, resolve));
    v.methods.back().name = name;
  });
}

}  // namespace

raw_version parse_version_yaml(const std::string& file, const std::string& text, int number,
                               const script_resolver& resolve) {
  const location where{file, ""};
  return guarded(where, [&] {
    const YAML::Node doc = load_document(where, text, "a map with version, methods, ...");
    raw_version v;
    v.where = where;
    v.number = number;
    bool has_version = false, has_methods = false;
    for_each_entry(where, doc, "", [&](const std::string& key, const YAML::Node& value, int line) {
      if (key == "version") {
        has_version = true;
        const int written = version_number(where, value, line);
        if (written != number) {
          where.fail(key, "is " + std::to_string(written) + " but the file name says version " +
                              std::to_string(number) + at(line));
        }
      } else if (key == "description") {
        v.description = text_value(where, key, value, line);
      } else if (key == "migrationScript") {
        v.migration_script = resolve(where, key, text_value(where, key, value, line));
      } else if (key == "downgradeScript") {
        v.downgrade_script = resolve(where, key, text_value(where, key, value, line));
      } else if (key == "methods") {
        has_methods = true;
        parse_methods(where, value, line, v, resolve);
      } else {
        where.fail(key,
                   "unknown key (a version file has version, description, migrationScript, "
                   "downgradeScript and methods)" +
                       at(line));
      }
    });
    if (!has_version) where.fail("version", "missing: it must equal the number in the file name");
    if (!has_methods) where.fail("methods", "missing (write methods: {} for none)");
    return v;
  });
}

void parse_access_yaml(const std::string& file, const std::string& text, raw_schema& raw) {
  raw.access_where = {file, ""};
  const location& where = raw.access_where;
  guarded(where, [&] {
    const YAML::Node doc = load_document(where, text, "a map of service to {tables: ...}");
    for_each_entry(where, doc, "", [&](const std::string& service, const YAML::Node& value, int l) {
      require_map(where, service, value, l, "a map with the key tables");
      raw_table_grants& grants = raw.access.emplace_back(service, raw_table_grants{}).second;
      bool has_tables = false;
      for_each_entry(
          where, value, service, [&](const std::string& key, const YAML::Node& tables, int line) {
            const std::string field = service + "." + key;
            if (key != "tables")
              where.fail(field, "unknown key (a service has only tables)" + at(line));
            has_tables = true;
            require_map(where, field, tables, line,
                        "a map of table to read or write ({} for none)");
            for_each_entry(where, tables, field,
                           [&](const std::string& table, const YAML::Node& mode, int tl) {
                             grants.emplace_back(table,
                                                 text_value(where, field + "." + table, mode, tl));
                           });
          });
      if (!has_tables) where.fail(service, "missing tables (write tables: {} for none)");
    });
  });
}

void parse_tables_yaml(const std::string& file, const std::string& text, raw_schema& raw) {
  raw.tables_where = {file, ""};
  const location& where = raw.tables_where;
  guarded(where, [&] {
    const YAML::Node doc = load_document(where, text, "a map of table to columns");
    for_each_entry(where, doc, "", [&](const std::string& table, const YAML::Node& value, int l) {
      require_map(where, table, value, l, "a map of column to type");
      table_columns& t = raw.tables.emplace_back();
      t.name = table;
      for_each_entry(
          where, value, table, [&](const std::string& column, const YAML::Node& type, int line) {
            t.columns.emplace_back(column, text_value(where, table + "." + column, type, line));
          });
    });
  });
}

}  // namespace pgfns::detail

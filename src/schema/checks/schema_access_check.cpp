// The checks of access.yml and tables.yml, shared by the YAML and JSON readers.
#include "schema/checks/schema_validate.hpp"

#include <map>
#include <set>

namespace pgfns::detail {
namespace {

std::vector<table_columns> check_tables(raw_schema& raw) {
  std::set<std::string_view> seen;
  for (const auto& t : raw.tables) {
    if (!seen.insert(t.name).second) raw.tables_where.fail(t.name, "table appears twice");
    std::set<std::string_view> columns;
    for (const auto& [column, type] : t.columns) {
      const std::string field = t.name + "." + column;
      if (!columns.insert(column).second) raw.tables_where.fail(field, "column appears twice");
      if (type.find_first_not_of(" \t\r\n") == std::string::npos) {
        raw.tables_where.fail(field, "is empty: write the column's type, e.g. \"text not null\"");
      }
      check_text(raw.tables_where, field, type);
    }
  }
  return std::move(raw.tables);
}

}  // namespace

void check_access(raw_schema& raw, const std::vector<version>& versions,
                  std::vector<service_access>& access, std::vector<table_columns>& tables,
                  std::vector<std::string>& warnings) {
  tables = check_tables(raw);
  std::set<std::string_view> table_names;
  for (const auto& t : tables) table_names.insert(t.name);

  const location& where = raw.access_where;
  std::map<std::string, std::string> services;  // normalised -> as written
  access.reserve(raw.access.size());
  for (auto& [service, grants] : raw.access) {
    if (!is_service_name(service)) {
      where.fail(service, "invalid service name \"" + service + "\": use only [a-z0-9_-]");
    }
    auto [it, added] = services.emplace(normalize_service_name(service), service);
    if (!added) {
      where.fail(service,
                 "same service as " + it->second + " ('-' and '_' are the same in service names)");
    }
    service_access& out = access.emplace_back();
    out.name = std::move(service);
    std::set<std::string> seen;
    for (auto& [table, mode] : grants) {
      const std::string field = out.name + ".tables." + table;
      if (!seen.insert(table).second) where.fail(field, "table appears twice");
      table_access a = table_access::read;
      if (mode == "write") {
        a = table_access::write;
      } else if (mode != "read") {
        where.fail(field, "is \"" + mode + "\"; it must be read or write");
      }
      if (!table_names.count(table)) {
        where.fail(field, "service " + out.name + " is granted table " + table +
                              ", which is not in tables.yml");
      }
      out.tables.emplace_back(std::move(table), a);
    }
  }

  // Every method's service must be declared, unless access.yml declares no service at all.
  std::set<std::string> unknown;
  for (std::size_t i = 0; i < versions.size(); ++i) {
    for (const method& m : versions[i].methods) {
      if (m.stub) continue;
      std::string service = normalize_service_name(m.service_name);
      if (services.count(service)) continue;
      if (!services.empty()) {
        std::string known;
        for (const auto& [name, written] : services) known += (known.empty() ? "" : ", ") + name;
        throw schema_error(
            raw.versions[i].where.file,
            raw.versions[i].where.field("methods." + m.name + ".serviceName"),
            "service " + m.service_name + " has no entry in access.yml (it has " + known + ")");
      }
      unknown.insert(std::move(service));
    }
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& s : unknown) list += (list.empty() ? "" : ", ") + s;
    warnings.push_back(where.file + (where.prefix.empty() ? "" : ": " + where.prefix) +
                       ": declares no services; methods of services " + list +
                       " have no table access");
  }
}

}  // namespace pgfns::detail

// The table half of access_check.hpp: tables and columns of schema public vs tables.yml.
#include <pgfns/access_check.hpp>

#include "admin/checks/checks.hpp"

#include <map>

namespace pgfns::detail {
namespace {

constexpr std::string_view not_null_suffix = " not null";

constexpr const char* columns_sql = R"(
  select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where n.nspname = 'public' and c.relkind in ('r', 'p')
    and c.relname not in (select jsonb_array_elements_text($1::jsonb))
  order by c.relname, a.attnum)";

struct column_spec {
  std::string type;
  bool not_null = false;
};

column_spec parse_spec(std::string_view spec) {
  column_spec c;
  c.not_null = spec.ends_with(not_null_suffix);
  if (c.not_null) spec.remove_suffix(not_null_suffix.size());
  c.type = std::string(spec);
  return c;
}

std::string describe(const column_spec& c) {
  return c.type + (c.not_null ? std::string(not_null_suffix) : std::string());
}

using table_map = std::map<std::string, std::map<std::string, column_spec>>;

void compare_columns(const std::string& table, const std::map<std::string, column_spec>& want,
                     const std::map<std::string, column_spec>& have,
                     std::vector<std::string>& problems) {
  for (const auto& [name, spec] : want) {
    const auto it = have.find(name);
    const std::string column = table + "." + name;
    if (it == have.end()) {
      problems.push_back("missing column: " + column + " (" + describe(spec) + ")");
      continue;
    }
    if (it->second.type != spec.type) {
      problems.push_back("changed type: " + column + " is " + it->second.type +
                         ", tables.yml says " + spec.type);
    }
    if (it->second.not_null != spec.not_null) {
      problems.push_back("changed nullability: " + column + " is " +
                         (it->second.not_null ? "not null" : "nullable") + ", tables.yml says " +
                         (spec.not_null ? "not null" : "nullable"));
    }
  }
  for (const auto& [name, spec] : have) {
    if (!want.contains(name)) {
      problems.push_back("extra column: " + table + "." + name + " (" + describe(spec) + ")");
    }
  }
}

}  // namespace

std::vector<std::string> check_tables(admin_session& db, const schema& s) {
  table_map want;
  for (const auto& t : s.tables()) {
    auto& columns = want[t.name];
    for (const auto& [name, spec] : t.columns) columns[name] = parse_spec(spec);
  }
  table_map have;
  for (const auto& row : db.query(columns_sql, {json_array_text(bookkeeping_tables())})) {
    auto& columns = have[*row[0]];
    if (row[1]) columns[*row[1]] = column_spec{*row[2], row[3] == "t"};
  }

  std::vector<std::string> problems;
  for (const auto& [table, columns] : want) {
    const auto it = have.find(table);
    if (it == have.end()) {
      problems.push_back("missing table: " + table);
    } else {
      compare_columns(table, columns, it->second, problems);
    }
  }
  for (const auto& [table, columns] : have) {
    if (!want.contains(table)) problems.push_back("extra table: " + table);
  }
  return problems;
}

}  // namespace pgfns::detail

// The function half of access_check.hpp: each method's function in schema public vs the
// schema's latest definition of that method, as the upgrade creates it.
//
// The server normalises argument lists and return types (int4 / integer, %type references,
// defaults), so the check lets it: inside a transaction that is always rolled back, it
// creates each method in pg_temp exactly as the upgrade would, then compares the catalog entry
// of the real function with that of the expected one.
#include "admin/bookkeeping.hpp"
#include "admin/checks/checks.hpp"
#include "common/sql_text.hpp"

#include <algorithm>
#include <map>

namespace pgfns::detail {
namespace {

constexpr const char* expected_savepoint = "pgfns_expected_function";

// Per function named like a method: in pg_temp the expected one, in public the real ones.
// Columns: name, in_temp, args, result, language, security definer, volatility, strict,
// parallel, leakproof, SET options, kind, body.
constexpr const char* functions_sql = R"(
  select p.proname, p.pronamespace = pg_my_temp_schema(), pg_get_function_arguments(p.oid),
         pg_get_function_result(p.oid), l.lanname, p.prosecdef, p.provolatile, p.proisstrict,
         p.proparallel, p.proleakproof, coalesce(array_to_string(p.proconfig, ', '), ''),
         p.prokind, p.prosrc
  from pg_proc p
  join pg_language l on l.oid = p.prolang
  where (p.pronamespace = 'public'::regnamespace or p.pronamespace = pg_my_temp_schema())
    and p.proname in (select jsonb_array_elements_text($1::jsonb))
  order by 1, 2 desc, 3)";

struct function_row {
  std::string args, result, language, kind, body;
  std::map<std::string, std::string> attributes;  // what `create or replace` resets
};

function_row to_function(const sql_row& row) {
  function_row f{*row[2], row[3].value_or(""), *row[4], *row[11], row[12].value_or(""), {}};
  static const std::map<std::string, std::string> volatility{
      {"v", "VOLATILE"}, {"s", "STABLE"}, {"i", "IMMUTABLE"}};
  static const std::map<std::string, std::string> parallel{
      {"u", "PARALLEL UNSAFE"}, {"r", "PARALLEL RESTRICTED"}, {"s", "PARALLEL SAFE"}};
  f.attributes["security"] = row[5] == "t" ? "SECURITY DEFINER" : "SECURITY INVOKER";
  f.attributes["volatility"] = volatility.at(*row[6]);
  f.attributes["strictness"] = row[7] == "t" ? "STRICT" : "CALLED ON NULL INPUT";
  f.attributes["parallel safety"] = parallel.at(*row[8]);
  f.attributes["leakproofness"] = row[9] == "t" ? "LEAKPROOF" : "NOT LEAKPROOF";
  f.attributes["settings"] = row[10]->empty() ? "none" : "SET " + *row[10];
  return f;
}

struct method_functions {
  std::optional<function_row> expected;
  std::vector<function_row> actual;
};

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  while (true) {
    const auto nl = text.find('\n');
    lines.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) return lines;
    text.remove_prefix(nl + 1);
  }
}

std::string excerpt(std::string_view line) {
  // Appended piece by piece: GCC 12 at -O2 with the precompiled header reports chained
  // operator+ on these strings as out of bounds (-Warray-bounds, a false positive).
  auto text = one_line(line);
  if (text.size() > 60) {
    text.resize(57);
    text.append("...");
  }
  std::string out(1, '"');
  out.append(text).push_back('"');
  return out;
}

// "body differs from version 3's at line 2: "x" where the schema has "y""
std::string body_difference(std::string_view actual, std::string_view wanted, int version) {
  const auto a = lines_of(actual);
  const auto w = lines_of(wanted);
  std::size_t i = 0;
  while (i < a.size() && i < w.size() && a[i] == w[i]) ++i;
  std::string out = "body differs from version " + std::to_string(version) + "'s at line " +
                    std::to_string(i + 1) + ": ";
  if (i >= a.size()) return out + "ends where the schema has " + excerpt(w[i]);
  if (i >= w.size()) return out + excerpt(a[i]) + " where the schema's ends";
  return out + excerpt(a[i]) + " where the schema has " + excerpt(w[i]);
}

void compare(const resolved_method& m, const function_row& want, const function_row& have,
             std::vector<std::string>& problems) {
  const std::string head = "method " + m.definition.name + ": ";
  if (have.kind != "f") {
    problems.push_back(head + "is a " + (have.kind == "p" ? "procedure" : "non-plain function") +
                       ", not a function");
    return;
  }
  if (have.result != want.result) {
    problems.push_back(head + "returns " + have.result + ", the schema's returns " + want.result);
  }
  for (const auto& [what, value] : have.attributes) {
    const auto& wanted = want.attributes.at(what);
    if (value != wanted) {
      problems.push_back(head + "is " + value + " (" + what + "), the upgrade makes it " + wanted);
    }
  }
  if (have.language != want.language) {
    // A body in another language cannot be compared line by line with the schema's.
    problems.push_back(head + "is in language " + have.language + ", the schema's in " +
                       want.language);
  } else if (have.body != m.definition.body) {
    problems.push_back(head + body_difference(have.body, m.definition.body, m.defined_in));
  }
}

void compare(const resolved_method& m, const method_functions& found,
             std::vector<std::string>& problems) {
  const std::string head = "method " + m.definition.name + ": ";
  if (found.actual.empty()) {
    problems.push_back(head + "missing from the database");
    return;
  }
  const auto& want = *found.expected;
  const auto same_args = std::find_if(found.actual.begin(), found.actual.end(),
                                      [&](const function_row& f) { return f.args == want.args; });
  for (const auto& have : found.actual) {
    if (same_args == found.actual.end()) {
      problems.push_back(head + "takes (" + have.args + "), the schema's takes (" + want.args +
                         ")");
      compare(m, want, have, problems);
    } else if (&have == &*same_args) {
      compare(m, want, have, problems);
    } else {
      problems.push_back(head + "has a second definition taking (" + have.args + ")");
    }
  }
}

// Creates each method in pg_temp as the upgrade would create it in public; a definition the
// server refuses (a type that no longer exists) is reported instead.
void create_expected(admin_session& db, const schema& s, std::vector<std::string>& problems) {
  for (const auto& m : s.methods()) {
    const auto& d = m.definition;
    try {
      std::string sql = "savepoint ";  // appended, not chained: see excerpt()
      sql.append(expected_savepoint)
          .append("; create or replace function pg_temp.")
          .append(quote_identifier(d.name))
          .append("(")
          .append(d.args)
          .append(") returns ")
          .append(d.returns)
          .append(" as $$begin end$$ language plpgsql; release savepoint ")
          .append(expected_savepoint);
      db.exec(sql);
    } catch (const sql_error& e) {
      db.exec(std::string("rollback to savepoint ") + expected_savepoint);
      problems.push_back("method " + d.name + ": the schema's arguments or return type fail: " +
                         e.info().sqlstate + ": " + one_line(e.info().message));
    }
  }
}

}  // namespace

std::vector<std::string> check_functions(admin_session& db, const schema& s) {
  std::vector<std::string> problems;
  const int at = read_version(db);
  if (at != s.latest_version()) {
    problems.push_back("database at version " + std::to_string(at) + ", the schema's latest is " +
                       std::to_string(s.latest_version()));
  }
  std::vector<std::string> names;
  for (const auto& m : s.methods()) names.push_back(m.definition.name);

  std::map<std::string, method_functions> found;
  {
    admin_transaction tx(db);  // never committed: the expected functions vanish with it
    db.exec("set local check_function_bodies = off");
    create_expected(db, s, problems);
    for (const auto& row : db.query(functions_sql, {json_array_text(names)})) {
      auto& entry = found[*row[0]];
      if (row[1] == "t") {
        entry.expected = to_function(row);
      } else {
        entry.actual.push_back(to_function(row));
      }
    }
  }
  for (const auto& m : s.methods()) {
    const auto it = found.find(m.definition.name);
    // Without the expected function its definition failed, which is already reported.
    if (it != found.end() && it->second.expected) compare(m, it->second, problems);
  }
  return problems;
}

}  // namespace pgfns::detail

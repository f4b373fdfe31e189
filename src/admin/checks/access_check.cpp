#include <pgfns/access_check.hpp>

#include "admin/checks/checks.hpp"
#include "admin/service_users.hpp"
#include "admin/upgrade_session.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

namespace pgfns {
namespace detail {
namespace {

using grant_set = std::set<std::string>;

std::string grant_line(std::string_view user, std::string_view privilege, std::string_view table) {
  return std::string(user) + ": " + std::string(privilege) + " on " + std::string(table);
}

grant_set expected_grants(const schema& s, std::string_view prefix,
                          const std::vector<std::string>& existing_users) {
  grant_set expected;
  for (const auto& service : s.access()) {
    const auto user = service_user_name(prefix, service.name);
    if (!std::binary_search(existing_users.begin(), existing_users.end(), user)) continue;
    for (const auto& [table, access] : service.tables) {
      expected.insert(grant_line(user, "SELECT", table));
      if (access == table_access::write) {
        for (const char* p : {"INSERT", "UPDATE", "DELETE"}) {
          expected.insert(grant_line(user, p, table));
        }
      }
    }
  }
  return expected;
}

// Table-level grants to the service users or to PUBLIC in schema public.
constexpr const char* table_grants_sql = R"(
  select c.relname, coalesce(r.rolname, 'PUBLIC'), a.privilege_type
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  cross join lateral aclexplode(c.relacl) a
  left join pg_roles r on r.oid = a.grantee
  where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
    and c.relname not in (select jsonb_array_elements_text($2::jsonb))
    and (a.grantee = 0 or r.rolname in (select jsonb_array_elements_text($1::jsonb))))";

constexpr const char* column_grants_sql = R"(
  select c.relname || '(' || att.attname || ')', coalesce(r.rolname, 'PUBLIC'), a.privilege_type
  from pg_attribute att
  join pg_class c on c.oid = att.attrelid
  join pg_namespace n on n.oid = c.relnamespace
  cross join lateral aclexplode(att.attacl) a
  left join pg_roles r on r.oid = a.grantee
  where n.nspname = 'public' and att.attacl is not null and not att.attisdropped
    and c.relname not in (select jsonb_array_elements_text($2::jsonb))
    and (a.grantee = 0 or r.rolname in (select jsonb_array_elements_text($1::jsonb))))";

constexpr const char* attributes_sql = R"(
  select rolname, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
  from pg_roles where rolname in (select jsonb_array_elements_text($1::jsonb))
  order by rolname)";

constexpr const char* memberships_sql = R"(
  select u.rolname, r.rolname, u.rolname in (select jsonb_array_elements_text($1::jsonb))
  from pg_auth_members m
  join pg_roles r on r.oid = m.roleid
  join pg_roles u on u.oid = m.member
  where u.rolname in (select jsonb_array_elements_text($1::jsonb))
     or r.rolname in (select jsonb_array_elements_text($1::jsonb))
  order by 1, 2)";

// The sorted `all` without the sorted `some`.
std::vector<std::string> without(const std::vector<std::string>& all,
                                 const std::vector<std::string>& some) {
  std::vector<std::string> out;
  std::set_difference(all.begin(), all.end(), some.begin(), some.end(), std::back_inserter(out));
  return out;
}

}  // namespace

std::string json_array_text(const std::vector<std::string>& items) {
  boost::json::array a;
  for (const auto& item : items) a.emplace_back(item);
  return boost::json::serialize(a);
}

std::string existing_users_json(admin_session& db, const schema& s, std::string_view prefix) {
  const auto users = service_users(s, prefix);
  return json_array_text(without(users, missing_users(db, users)));
}

std::vector<std::string> check_grants(admin_session& db, const schema& s, std::string_view prefix) {
  std::vector<std::string> problems;
  const auto users = service_users(s, prefix);
  const auto missing = missing_users(db, users);
  const auto existing = without(users, missing);
  for (const auto& user : missing) problems.push_back("service user " + user + " does not exist");

  const auto users_json = json_array_text(existing);
  const auto own_json = json_array_text(bookkeeping_tables());
  grant_set actual;
  for (const auto& row : db.query(table_grants_sql, {users_json, own_json})) {
    actual.insert(grant_line(*row[1], *row[2], *row[0]));
  }
  const auto expected = expected_grants(s, prefix, existing);
  for (const auto& g : actual) {
    if (!expected.contains(g)) problems.push_back("unexpected grant: " + g);
  }
  for (const auto& g : expected) {
    if (!actual.contains(g)) problems.push_back("missing grant: " + g);
  }
  for (const auto& row : db.query(column_grants_sql, {users_json, own_json})) {
    problems.push_back("unexpected column grant: " + grant_line(*row[1], *row[2], *row[0]));
  }
  const auto owned = check_owned_objects(db, users_json);
  problems.insert(problems.end(), owned.begin(), owned.end());
  static const char* const attributes[] = {"SUPERUSER", "CREATEROLE", "CREATEDB", "REPLICATION",
                                           "BYPASSRLS"};
  for (const auto& row : db.query(attributes_sql, {users_json})) {
    for (std::size_t i = 0; i < std::size(attributes); ++i) {
      if (row[i + 1] == "t") problems.push_back(*row[0] + " has attribute " + attributes[i]);
    }
  }
  for (const auto& row : db.query(memberships_sql, {users_json})) {
    problems.push_back(row[2] == "t" ? *row[0] + " is a member of role " + *row[1]
                                     : "role " + *row[0] + " is a member of " + *row[1]);
  }
  return problems;
}

}  // namespace detail

namespace {

std::vector<std::string> all_grants(detail::admin_session& db, const schema& s,
                                    std::string_view prefix) {
  auto problems = detail::check_grants(db, s, prefix);
  auto database = detail::check_database_privileges(db, detail::existing_users_json(db, s, prefix));
  problems.insert(problems.end(), database.begin(), database.end());
  return problems;
}

}  // namespace

std::vector<std::string> check_grants(const std::string& admin_url, const schema& s,
                                      std::string_view prefix, const admin_timeouts& timeouts) {
  detail::validate_prefix(prefix);
  auto db = detail::open_admin(admin_url, timeouts, "pgfns check");
  return detail::guard_sql("checking grants", [&] { return all_grants(*db, s, prefix); });
}

std::vector<std::string> check_tables(const std::string& admin_url, const schema& s,
                                      const admin_timeouts& timeouts) {
  auto db = detail::open_admin(admin_url, timeouts, "pgfns check");
  return detail::guard_sql("checking tables", [&] { return detail::check_tables(*db, s); });
}

std::vector<std::string> check_functions(const std::string& admin_url, const schema& s,
                                         const admin_timeouts& timeouts) {
  auto db = detail::open_admin(admin_url, timeouts, "pgfns check");
  return detail::guard_sql("checking functions", [&] { return detail::check_functions(*db, s); });
}

std::vector<std::string> check_database(const std::string& admin_url, const schema& s,
                                        std::string_view prefix, const admin_timeouts& timeouts) {
  detail::validate_prefix(prefix);
  auto db = detail::open_admin(admin_url, timeouts, "pgfns check");
  return detail::guard_sql("checking grants, tables and functions", [&] {
    auto problems = all_grants(*db, s, prefix);
    for (auto more : {detail::check_tables(*db, s), detail::check_functions(*db, s)}) {
      problems.insert(problems.end(), more.begin(), more.end());
    }
    return problems;
  });
}

}  // namespace pgfns

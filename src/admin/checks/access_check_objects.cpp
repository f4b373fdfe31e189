// What service users own (they should own nothing) and what PUBLIC may do with the database
// and its schema public (nothing: `upgrade --create-users` revokes it).
#include "admin/checks/checks.hpp"

namespace pgfns::detail {
namespace {

// Every object of this database (or shared) whose owner is a service user, large objects
// apart: temporary tables in pg_temp_N, functions, types, schemas, default privileges...
constexpr const char* owned_sql = R"(
  select r.rolname, pg_describe_object(d.classid, d.objid, d.objsubid)
  from pg_shdepend d
  join pg_roles r on r.oid = d.refobjid
  where d.deptype = 'o' and d.refclassid = 'pg_authid'::regclass
    and d.classid <> 'pg_largeobject'::regclass
    and d.dbid in (0, (select oid from pg_database where datname = current_database()))
    and r.rolname in (select jsonb_array_elements_text($1::jsonb))
  order by 1, 2)";

// Large objects by owner: a count and the lowest OIDs, since a service may have made many.
constexpr const char* large_objects_sql = R"(
  select r.rolname, count(*),
         array_to_string((array_agg(m.oid order by m.oid))[1:3], ', ')
  from pg_largeobject_metadata m
  join pg_roles r on r.oid = m.lomowner
  where r.rolname in (select jsonb_array_elements_text($1::jsonb))
  group by r.rolname
  order by 1)";

// Privileges of PUBLIC and of the service users on the database and on schema public, with
// the defaults PostgreSQL applies while the ACL is NULL.
constexpr const char* container_grants_sql = R"(
  select 'database ' || quote_ident(d.datname), coalesce(r.rolname, 'PUBLIC'), a.privilege_type
  from pg_database d
  cross join lateral aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
  left join pg_roles r on r.oid = a.grantee
  where d.datname = current_database()
    and (a.grantee = 0 or r.rolname in (select jsonb_array_elements_text($1::jsonb)))
  union all
  select 'schema public', coalesce(r.rolname, 'PUBLIC'), a.privilege_type
  from pg_namespace n
  cross join lateral aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
  left join pg_roles r on r.oid = a.grantee
  where n.nspname = 'public'
    and (a.grantee = 0 or r.rolname in (select jsonb_array_elements_text($1::jsonb)))
  order by 1, 2, 3)";

constexpr const char* cannot_connect_sql = R"(
  select u from jsonb_array_elements_text($1::jsonb) u
  where not has_database_privilege(u, current_database(), 'CONNECT')
  order by 1)";

}  // namespace

std::vector<std::string> check_owned_objects(admin_session& db, const std::string& users_json) {
  std::vector<std::string> problems;
  for (const auto& row : db.query(owned_sql, {users_json})) {
    problems.push_back(*row[0] + " owns " + *row[1]);
  }
  for (const auto& row : db.query(large_objects_sql, {users_json})) {
    const bool one = row[1] == "1";
    problems.push_back(*row[0] + " owns " + *row[1] +
                       (one ? " large object (" : " large objects (") + (one ? "" : "first ") +
                       *row[2] + ")");
  }
  return problems;
}

std::vector<std::string> check_database_privileges(admin_session& db,
                                                   const std::string& users_json) {
  std::vector<std::string> problems;
  for (const auto& row : db.query(container_grants_sql, {users_json})) {
    const bool service_user = row[1] != "PUBLIC";
    // Service users connect and look up the methods in schema public; nothing more.
    if (service_user && ((row[0] == "schema public" && row[2] == "USAGE") ||
                         (row[0] != "schema public" && row[2] == "CONNECT"))) {
      continue;
    }
    problems.push_back("unexpected grant: " + *row[1] + ": " + *row[2] + " on " + *row[0]);
  }
  for (const auto& row : db.query(cannot_connect_sql, {users_json})) {
    problems.push_back(*row[0] + " may not connect to the database");
  }
  return problems;
}

}  // namespace pgfns::detail

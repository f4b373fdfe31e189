#include "admin/service_users.hpp"

#include "common/sql_text.hpp"

#include <pgfns/upgrade.hpp>

#include <algorithm>

namespace pgfns::detail {

void validate_prefix(std::string_view prefix) {
  const bool valid = !prefix.empty() && std::all_of(prefix.begin(), prefix.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_';
  });
  if (!valid) {
    throw upgrade_error(
        0, "", "invalid username prefix \"" + std::string(prefix) + "\": it must match ^[a-z_]+$");
  }
}

std::vector<std::string> service_users(const schema& s, std::string_view prefix) {
  std::vector<std::string> users;
  for (const auto& service : s.services()) users.push_back(service_user_name(prefix, service));
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

std::vector<std::string> missing_users(admin_session& db, const std::vector<std::string>& users) {
  std::vector<std::string> missing;
  for (const auto& user : users) {
    if (db.scalar("select exists (select from pg_roles where rolname = $1)", {user}) != "t") {
      missing.push_back(user);
    }
  }
  return missing;
}

void create_users(admin_session& db, const std::vector<std::string>& users) {
  for (const auto& user : users) {
    try {
      db.exec("create role " + quote_identifier(user) +
              " login nosuperuser nocreaterole nocreatedb noreplication nobypassrls");
    } catch (const sql_error& e) {
      // 42710: exists; 23505: another session created it at the same moment.
      const auto& state = e.info().sqlstate;
      if ((state != "42710" && state != "23505") || !missing_users(db, {user}).empty()) {
        throw upgrade_error(0, state, "creating service user " + user + " failed: " + e.what());
      }
    }
  }
}

void refuse_service_user(admin_session& db, const std::vector<std::string>& users,
                         std::string_view doing) {
  const auto role = db.scalar("select current_user").value_or("");
  if (std::binary_search(users.begin(), users.end(), role)) {
    throw upgrade_error(0, "42501",
                        std::string(doing) + " refused: the admin URL logs in as " + role +
                            ", a service user of this schema, which may only call its methods; "
                            "pass the URL of a role that may change the schema");
  }
}

void grant_baseline(admin_session& db, const std::vector<std::string>& users) {
  for (const auto& user : users) {
    const auto quoted = quote_identifier(user);
    try {
      db.exec("grant select on tcversion to " + quoted + "; grant usage on schema public to " +
              quoted);
    } catch (const sql_error& e) {
      throw upgrade_error(0, e.info().sqlstate,
                          "granting the baseline privileges to " + user + " failed: " + e.what());
    }
  }
}

bool restrict_database(admin_session& db, const std::vector<std::string>& users) {
  const auto database = quote_identifier(db.scalar("select current_database()").value_or(""));
  std::string grants = "revoke all on database " + database +
                       " from public; revoke all on schema public from public";
  for (const auto& user : users) {
    grants += "; grant connect on database " + database + " to " + quote_identifier(user);
  }
  const bool superuser =
      db.scalar("select rolsuper from pg_roles where rolname = current_user") == "t";
  // PostgreSQL has no privilege for creating large objects; only these functions make them.
  if (superuser) {
    grants +=
        "; revoke execute on function pg_catalog.lo_creat(integer), pg_catalog.lo_create(oid), "
        "pg_catalog.lo_from_bytea(oid, bytea) from public";
  }
  try {
    admin_transaction tx(db);
    db.exec(grants);
    tx.commit();
  } catch (const sql_error& e) {
    throw upgrade_error(
        0, e.info().sqlstate,
        "revoking PUBLIC's privileges on the database failed: " + std::string(e.what()));
  }
  return superuser;
}

}  // namespace pgfns::detail

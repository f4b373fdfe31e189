// The Postgres users services connect as (`<prefix>_<service>`): naming, creation and the
// baseline privileges every service gets.
#pragma once

#include "admin/admin_session.hpp"

#include <pgfns/schema.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

// Throws upgrade_error unless `prefix` matches ^[a-z_]+$.
void validate_prefix(std::string_view prefix);

// The user of every service the schema names (access.yml or a method's serviceName), sorted.
std::vector<std::string> service_users(const schema& s, std::string_view prefix);

// Those of `users` that do not exist in the cluster (read-only).
std::vector<std::string> missing_users(admin_session& db, const std::vector<std::string>& users);

// CREATE ROLE ... LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS for
// each; a role created meanwhile by someone else (roles are cluster-wide) is fine.
void create_users(admin_session& db, const std::vector<std::string>& users);

// Throws upgrade_error (42501) when the session's role is one of `users` (sorted): a service
// user cannot change the schema, and the server's own refusal would name some table instead
// of the wrong URL. `doing` is "upgrade" or "downgrade".
void refuse_service_user(admin_session& db, const std::vector<std::string>& users,
                         std::string_view doing);

// `grant select on tcversion` and `grant usage on schema public` to each user.
void grant_baseline(admin_session& db, const std::vector<std::string>& users);

// Revokes every privilege of PUBLIC on the current database (CONNECT, TEMPORARY) and on
// schema public (USAGE, CREATE), and grants CONNECT to each user; the owner and superusers keep
// theirs. When the session is a superuser's, also revokes PUBLIC's EXECUTE on the functions
// that create large objects (lo_creat, lo_create, lo_from_bytea) in this database, and returns
// true; false when it could not. In one transaction; throws upgrade_error.
bool restrict_database(admin_session& db, const std::vector<std::string>& users);

}  // namespace pgfns::detail

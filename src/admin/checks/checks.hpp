// The checks of access_check.hpp, over an already open admin session (so an upgrade can run
// them on its own connection).
#pragma once

#include "admin/admin_session.hpp"

#include <pgfns/schema.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

// Table and column grants, attributes, memberships, and check_owned_objects(). The public
// check_grants() adds check_database_privileges(), which an upgrade runs only when it was
// asked to create users (and so revoked PUBLIC's privileges).
std::vector<std::string> check_grants(admin_session& db, const schema& s, std::string_view prefix);
std::vector<std::string> check_tables(admin_session& db, const schema& s);
// Needs the TEMPORARY privilege: the expected functions are made in pg_temp and rolled back.
std::vector<std::string> check_functions(admin_session& db, const schema& s);

// Over the JSON array (json_array_text) of the existing service users: the objects and large
// objects they own; and the privileges of PUBLIC and of the service users on the database and
// schema public, where each service user should have CONNECT and USAGE only and PUBLIC none.
std::vector<std::string> check_owned_objects(admin_session& db, const std::string& users_json);
std::vector<std::string> check_database_privileges(admin_session& db,
                                                   const std::string& users_json);

// The JSON array text of the service users of `s` that exist, for the functions above.
std::string existing_users_json(admin_session& db, const schema& s, std::string_view prefix);

// The JSON array text of `items`, for `jsonb_array_elements_text($n::jsonb)` parameters.
std::string json_array_text(const std::vector<std::string>& items);

}  // namespace pgfns::detail

// Proves that a database matches its schema: `access.yml`, `tables.yml` and the methods.
//
// BLOCKING calls over one admin connection (like upgrade.hpp): use them from the CLI, a deploy
// job or a worker thread, never from a service's I/O executor.
#pragma once

#include <pgfns/admin_timeouts.hpp>
#include <pgfns/schema.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pgfns {

// The bookkeeping tables pgfns owns in every managed database (`tcversion` and its
// companions). The checks ignore them and downgrades leave them in place.
const std::vector<std::string>& bookkeeping_tables();

// Every difference between the privileges in the database and access.yml, one line each:
// unexpected and missing table grants of each service user `<prefix>_<service>` (read =
// SELECT; write = SELECT, INSERT, UPDATE, DELETE), grants to PUBLIC, column grants, service
// users with SUPERUSER, CREATEROLE, CREATEDB, REPLICATION or BYPASSRLS, role memberships of
// service users; every object a service user owns (tables, temporary ones included, functions,
// types, schemas...; large objects counted per user); and any privilege on the database or on
// schema public held by PUBLIC, or by a service user beyond CONNECT and USAGE (a service user
// that may not connect is reported too). Empty when everything matches. Throws upgrade_error.
std::vector<std::string> check_grants(const std::string& admin_url, const schema& s,
                                      std::string_view prefix, const admin_timeouts& timeouts = {});

// Every difference between the tables of schema `public` and tables.yml, one line each:
// missing and extra tables, missing and extra columns, changed type (format_type) or
// nullability. Empty when everything matches. Throws upgrade_error.
std::vector<std::string> check_tables(const std::string& admin_url, const schema& s,
                                      const admin_timeouts& timeouts = {});

// Every difference between the functions of schema `public` and the schema's latest
// definition of each method (a deprecated method's is the last version that gave a body), as
// the upgrade creates it, one line each naming the method: missing, other arguments or return
// type (as the server normalises them), a second definition with other arguments, another
// language, a body that differs (with the first line that does), and SECURITY DEFINER or any
// other attribute `create or replace function` resets (volatility, STRICT, PARALLEL,
// LEAKPROOF, SET). Also a database not at the schema's latest version. Empty when everything
// matches. Throws upgrade_error.
std::vector<std::string> check_functions(const std::string& admin_url, const schema& s,
                                         const admin_timeouts& timeouts = {});

// check_grants(), check_tables() and check_functions(), over one connection. Each throws
// upgrade_error when the server does not answer within `timeouts`.
std::vector<std::string> check_database(const std::string& admin_url, const schema& s,
                                        std::string_view prefix,
                                        const admin_timeouts& timeouts = {});

}  // namespace pgfns

// Proves that a database matches its schema's `access.yml` and `tables.yml`.
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
// SELECT; write = SELECT, INSERT, UPDATE, DELETE), grants to PUBLIC, tables owned by a service
// user, service users with SUPERUSER, CREATEROLE, CREATEDB or REPLICATION, and role
// memberships of service users. Empty when everything matches. Throws upgrade_error.
std::vector<std::string> check_grants(const std::string& admin_url, const schema& s,
                                      std::string_view prefix, const admin_timeouts& timeouts = {});

// Every difference between the tables of schema `public` and tables.yml, one line each:
// missing and extra tables, missing and extra columns, changed type (format_type) or
// nullability. Empty when everything matches. Throws upgrade_error.
std::vector<std::string> check_tables(const std::string& admin_url, const schema& s,
                                      const admin_timeouts& timeouts = {});

// check_grants() followed by check_tables(), over one connection. Each throws upgrade_error
// when the server does not answer within `timeouts`.
std::vector<std::string> check_database(const std::string& admin_url, const schema& s,
                                        std::string_view prefix,
                                        const admin_timeouts& timeouts = {});

}  // namespace pgfns

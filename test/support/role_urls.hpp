// Connection strings for roles other than the superuser on the integration tests' server:
// service users (who log in by trust on the test cluster) and roles with a password, in each
// form libpq accepts.
#pragma once

#include <string>

namespace pgfns::test {

// Where a connection string leads, as libpq resolved it on a real connection.
struct server_address {
  std::string host;  // a name, an address, or a socket directory (starts with '/')
  std::string port;
  std::string dbname;
};

// Connects to `url` once to find out. Throws sql_error (pg_test.hpp) when it cannot.
server_address address_of(const std::string& url);

// 'value' with `'` and `\` escaped, for a keyword/value connection string.
std::string keyword_quoted(const std::string& value);

// `host=... port=... dbname=... user=...` with every value quoted, plus `extra` (e.g.
// "password=x") when given.
std::string keyword_url(const server_address& a, const std::string& user,
                        const std::string& extra = "");

// postgresql://user[:password]@host:port/dbname[?query]; `password` and `query` are used as
// written (encode them first when needed). A socket directory goes into the query as `host=`.
std::string uri(const server_address& a, const std::string& user, const std::string& password = "",
                const std::string& query = "");

// The SQLSTATE `sql` fails with when run through `url` (as its role), "" when it succeeds, or
// "no SQLSTATE: <message>" when the connection itself fails.
std::string outcome(const std::string& url, const std::string& sql);

}  // namespace pgfns::test

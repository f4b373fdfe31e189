#include "role_urls.hpp"

#include "pg_test.hpp"

#include "common/pq_handle.hpp"

namespace pgfns::test {

std::string keyword_quoted(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

server_address address_of(const std::string& url) {
  const detail::conn_handle c(PQconnectdb(url.c_str()));
  if (!c || PQstatus(c.get()) != CONNECTION_OK) {
    throw sql_error("cannot connect to the test server to find its address", "");
  }
  return {PQhost(c.get()), PQport(c.get()), PQdb(c.get())};
}

std::string keyword_url(const server_address& a, const std::string& user,
                        const std::string& extra) {
  std::string out = "host=" + keyword_quoted(a.host) + " port=" + keyword_quoted(a.port) +
                    " dbname=" + keyword_quoted(a.dbname) + " user=" + keyword_quoted(user);
  return extra.empty() ? out : out + " " + extra;
}

std::string uri(const server_address& a, const std::string& user, const std::string& password,
                const std::string& query) {
  // Built by appending: GCC 12 at -O3 reports a false -Wrestrict on "literal" + std::string.
  std::string out = "postgresql://";
  out += percent_encoded(user);
  if (!password.empty()) {
    out += ':';
    out += password;
  }
  out += '@';
  std::string params;
  if (a.host.starts_with("/")) {
    params = "host=";
    params += percent_encoded(a.host);
    params += "&port=";
    params += a.port;
    if (!query.empty()) params += '&';
  } else {
    const bool ipv6 = a.host.find(':') != std::string::npos;
    if (ipv6) out += '[';
    out += a.host;
    if (ipv6) out += ']';
    out += ':';
    out += a.port;
  }
  params += query;
  out += '/';
  out += percent_encoded(a.dbname);
  if (!params.empty()) {
    out += '?';
    out += params;
  }
  return out;
}

std::string outcome(const std::string& url, const std::string& sql) {
  try {
    query(url, sql);
    return "";
  } catch (const sql_error& e) {
    return e.sqlstate().empty() ? std::string("no SQLSTATE: ") + e.what() : e.sqlstate();
  }
}

}  // namespace pgfns::test

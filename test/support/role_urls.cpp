#include "role_urls.hpp"

#include "pg_test.hpp"

#include "detail/pq_handle.hpp"

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
  std::string out = "postgresql://" + percent_encoded(user);
  if (!password.empty()) out += ":" + password;
  out += "@";
  std::string params = query;
  if (a.host.starts_with("/")) {
    params =
        "host=" + percent_encoded(a.host) + "&port=" + a.port + (query.empty() ? "" : "&") + query;
  } else {
    out += (a.host.find(':') != std::string::npos ? "[" + a.host + "]" : a.host) + ":" + a.port;
  }
  out += "/" + percent_encoded(a.dbname);
  return params.empty() ? out : out + "?" + params;
}

}  // namespace pgfns::test

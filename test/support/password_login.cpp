#include "password_login.hpp"

#include "schema_test_paths.hpp"

#include "common/pq_handle.hpp"

#include <pgfns/upgrade.hpp>

#include <stdexcept>

namespace pgfns::test {

const std::string test_password = "S3cr3t-pgfns-Pw :@/?&='\\";
const std::string wrong_test_password = "S3cr3t-pgfns-Pw-but-wrong";

std::string fully_encoded(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) out += {'%', hex[c >> 4], hex[c & 15]};
  return out;
}

bool shows_password(std::string_view text) {
  return text.find("S3cr3t") != std::string_view::npos ||
         text.find(fully_encoded("S3cr3t")) != std::string_view::npos;
}

password_login::password_login() {
  const auto& admin = server().primary;
  query(admin,
        "do $$ begin create role pgfns_password_login nologin; "
        "exception when duplicate_object or unique_violation then null; end $$");
  query(admin, "create role " + user + " login superuser in role pgfns_password_login");
  set_password(test_password);
  // The server must really check the password, or the failures prove nothing.
  bool refused = false;
  try {
    query(keyword_url(address, user, "password=" + keyword_quoted(wrong_test_password)),
          "select 1");
  } catch (const sql_error& e) {
    refused = std::string(e.what()).find("password authentication failed") != std::string::npos;
  }
  if (!refused) {
    throw std::runtime_error("the server did not refuse " + user +
                             " with a wrong password: its pg_hba.conf must ask members of "
                             "pgfns_password_login for one, as scripts/pg-cluster sets it up");
  }
}

void password_login::set_password(const std::string& password) const {
  // Only the SCRAM verifier travels to the server, never the password itself.
  const detail::conn_handle c(PQconnectdb(server().primary.c_str()));
  const detail::pq_string_handle verifier(
      c ? PQencryptPasswordConn(c.get(), password.c_str(), user.c_str(), "scram-sha-256")
        : nullptr);
  if (!verifier) throw std::runtime_error("cannot compute a SCRAM verifier for " + user);
  query(server().primary, "alter role " + user + " password '" + verifier.get() + "'");
}

std::string password_login::good_uri() const {
  return uri(address, user, percent_encoded(test_password));
}
std::string password_login::good_full_uri() const {
  return uri(address, user, fully_encoded(test_password));
}
std::string password_login::good_query_uri() const {
  return uri(address, user, "", "password=" + percent_encoded(test_password));
}
std::string password_login::good_keywords() const {
  return keyword_url(address, user, "password=" + keyword_quoted(test_password));
}

std::vector<failing_url> password_login::failing_urls() const {
  const auto& a = address;
  const std::vector<std::string> everything{a.host, a.port, user, a.dbname};
  const server_address no_db{a.host, a.port, "no_such_db_" + roles.prefix()};
  const server_address closed{a.host, "1", a.dbname};  // nothing listens on port 1
  const auto wrong = percent_encoded(wrong_test_password);
  const auto right = percent_encoded(test_password);
  return {
      {"wrong password in the URL", uri(a, user, wrong), everything},
      {"wrong password fully encoded", uri(a, user, fully_encoded(wrong_test_password)),
       everything},
      {"wrong password as ?password=", uri(a, user, "", "password=" + wrong), everything},
      {"wrong password as password=",
       keyword_url(a, user, "password=" + keyword_quoted(wrong_test_password)), everything},
      // libpq reads an unencoded `?` as part of the password...
      {"wrong password with an unencoded ?", uri(a, user, "S3cr3t?pgfns-Pw"), everything},
      // ...but an unencoded `@` ends it: the rest becomes a host name that libpq quotes.
      {"wrong password with an unencoded @", uri(a, user, "x@S3cr3t-pgfns-Pw"), everything},
      {"right password, no such database",
       uri(no_db, user, right),
       {a.host, a.port, user, no_db.dbname}},
      {"right password, nothing listening",
       uri(closed, user, right),
       {a.host, "1", user, a.dbname}},
      // libpq quotes the whole URL when it cannot parse it (here: a missing `]`).
      {"right password, a URL libpq cannot parse",
       "postgresql://" + user + ":" + right + "@[" + a.host + "/" + a.dbname,
       {a.host, user, a.dbname}},
  };
}

shop_login::shop_login() : s(std::make_shared<const schema>(schema::from_db_directory(shop_db()))) {
  upgrade(*s, options_for(db, roles.prefix()));
}

database_options shop_login::options(const std::string& write_url) const {
  database_options o;
  o.schema = s;
  o.service = "catalog";
  o.write_url = write_url;
  o.write_pool_size = o.read_pool_size = 1;
  o.connect_timeout = std::chrono::seconds(5);
  return o;
}

}  // namespace pgfns::test

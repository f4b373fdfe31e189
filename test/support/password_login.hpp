// A role that must give its password (scram-sha-256) and the connection strings, good and
// failing, that the password redaction tests try. The test cluster asks every member of the
// role pgfns_password_login for a password (scripts/pg-cluster); this role is such a member.
#pragma once

#include "pg_test.hpp"
#include "role_urls.hpp"
#include "upgrade_test.hpp"

#include <pgfns/database_options.hpp>
#include <pgfns/schema.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::test {

// The role's password: a distinctive part, then every character URLs or keyword strings must
// escape.
extern const std::string test_password;
// A wrong one, just as distinctive.
extern const std::string wrong_test_password;

// `s` with every byte as %XX.
std::string fully_encoded(std::string_view s);

// Whether `text` gives either password away: their distinctive part, as written or fully
// encoded.
bool shows_password(std::string_view text);

// A connection string that fails, and what its errors must still name.
struct failing_url {
  std::string label;
  std::string url;
  std::vector<std::string> where;  // host, port, user, database, as far as the URL has them
};

// A superuser `<prefix>_admin` that must log in with test_password, and a scratch database.
// Throws std::runtime_error when the server does not check the password.
class password_login {
 public:
  password_login();

  service_roles roles{"pw"};
  scratch_database db{"pw"};
  server_address address = address_of(db.write_url());
  std::string user = roles.prefix() + "_admin";

  // The right password in each form libpq accepts.
  std::string good_uri() const;        // postgresql://user:percent-encoded@...
  std::string good_full_uri() const;   // the same, every byte encoded
  std::string good_query_uri() const;  // ...?password=
  std::string good_keywords() const;   // host=... password='...'

  // From now on the role logs in with `password` (only a SCRAM verifier reaches the server).
  void set_password(const std::string& password) const;

  // Wrong passwords in each form, and other failures with the right one: no such database,
  // nothing listening, a URL libpq cannot parse.
  std::vector<failing_url> failing_urls() const;
};

// password_login's database at db/'s latest version, and the options of the catalog service
// connecting to it with a given URL (one connection per pool, a 5 s connect timeout).
class shop_login : public password_login {
 public:
  shop_login();

  std::shared_ptr<const schema> s;

  database_options options(const std::string& write_url) const;
};

}  // namespace pgfns::test

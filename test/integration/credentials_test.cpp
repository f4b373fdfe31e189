// Passwords that never appear in a URL: libpq finds them in the PGPASSWORD environment
// variable, in a password file (PGPASSFILE, mode 0600) or, with the rest of the connection
// settings, through a service file (PGSERVICEFILE and `service=NAME`). Each works for
// pgfns::database, for the schema lifecycle calls (pgfns::db_version) and for the `pgfns` tool,
// with a role the server really asks for its password (password_login.hpp). The same sources
// with a wrong password, with none, or with a password file others can read fail, and the
// errors name the server (and the service) but never the password; the tool's is one line.
//
// libpq reads these variables when it connects: in this process they are set around the
// connections of one check only (scoped_env), and the `pgfns` tool gets them in its own
// environment.
#include "core_db.hpp"
#include "password_login.hpp"
#include "run_process.hpp"
#include "run_until.hpp"
#include "schema_test_paths.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/database.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace pgfns;
using namespace pgfns::test;
namespace fs = std::filesystem;

namespace {

// Sets an environment variable of this process (or removes it, given std::nullopt) until
// destroyed, then restores what was there before.
class scoped_env {
 public:
  scoped_env(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) old_ = old;
    set(value);
  }
  ~scoped_env() { set(old_); }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  void set(const std::optional<std::string>& value) const {
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }
  std::string name_;
  std::optional<std::string> old_;
};

// Where libpq is to find the password (and perhaps the server): environment variables to set
// (std::nullopt: to remove) and the connection string, which holds no password.
struct credential_source {
  std::string label;
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
  std::string url;
  // When it fails: what libpq's message adds, and the warning libpq itself prints on stderr.
  std::string error_adds = "";
  std::string warning = "";

  // The variables as `pgfns` gets them: "NAME=value", or "NAME" to remove it.
  std::vector<std::string> process_env() const {
    std::vector<std::string> out;
    for (const auto& [name, value] : env) out.push_back(value ? name + "=" + *value : name);
    return out;
  }
};

// The variables of `source` in this process while alive.
class source_env {
 public:
  explicit source_env(const credential_source& source) {
    for (const auto& [name, value] : source.env)
      vars_.push_back(std::make_unique<scoped_env>(name, value));
  }

 private:
  std::vector<std::unique_ptr<scoped_env>> vars_;
};

// A password file field: ':' and '\' escaped with '\'.
std::string pgpass_field(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ':' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void expect_no_password(const std::string& text) {
  BOOST_TEST(!shows_password(text), "password shown in: " << text);
}

std::string db_dir() {
  return shop_db().string();
}

process_result cli(const credential_source& source, std::vector<std::string> args) {
  args.insert(args.begin(), std::getenv("PGFNS_CLI"));
  process_options o;
  o.env = source.process_env();
  return run_process(args, o);
}

// password_login's database at db/'s latest version, and a private directory for the files
// that hold credentials.
struct credentials : shop_login {
  fs::path dir;
  const std::string service_name = "pgfns_credentials";

  credentials() {
    std::string t = (fs::temp_directory_path() / "pgfns-credentials-XXXXXX").string();
    if (::mkdtemp(t.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir = t;
  }
  ~credentials() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  std::string latest_version() const { return std::to_string(s->latest_version()); }

  // The server as written in URLs and files: a socket directory is `localhost` in a password
  // file.
  std::string pgpass_host() const {
    return address.host.starts_with("/") ? "localhost" : address.host;
  }

  // A password file giving `password` to this role on this server and database.
  std::string password_file(const std::string& name, const std::string& password,
                            fs::perms mode = fs::perms::owner_read | fs::perms::owner_write) const {
    const auto path = dir / name;
    std::ofstream(path) << pgpass_field(pgpass_host()) << ':' << address.port << ':'
                        << pgpass_field(address.dbname) << ':' << pgpass_field(user) << ':'
                        << pgpass_field(password) << '\n';
    fs::permissions(path, mode);
    return path.string();
  }

  // A service file naming this server, database and user (no password) under service_name.
  std::string service_file() const {
    const auto path = dir / "pg_service.conf";
    std::ofstream(path) << "# the role of the credentials test\n"
                        << "[" << service_name << "]\n"
                        << "host=" << address.host << "\nport=" << address.port
                        << "\ndbname=" << address.dbname << "\nuser=" << user << "\n";
    return path.string();
  }

  // The right password, or `password`, from each source, with a URL that holds none.
  std::vector<credential_source> sources(const std::string& password) const {
    const auto plain = uri(address, user);
    const auto file =
        password_file(password == test_password ? "pgpass" : "pgpass-wrong", password);
    const auto services = service_file();
    const auto from_file = "password retrieved from file \"" + file + "\"";
    return {
        {"PGPASSWORD", {{"PGPASSWORD", password}, {"PGPASSFILE", (dir / "none").string()}}, plain},
        {"a password file (PGPASSFILE)",
         {{"PGPASSWORD", std::nullopt}, {"PGPASSFILE", file}},
         plain,
         from_file},
        {"a service file (PGSERVICEFILE), service URL",
         {{"PGPASSWORD", std::nullopt}, {"PGPASSFILE", file}, {"PGSERVICEFILE", services}},
         "postgresql:///?service=" + service_name,
         from_file},
        {"a service file (PGSERVICEFILE), service= keyword",
         {{"PGPASSWORD", std::nullopt}, {"PGPASSFILE", file}, {"PGSERVICEFILE", services}},
         "service=" + service_name,
         from_file},
    };
  }

  // Sources that give no usable password.
  std::vector<credential_source> without_password() const {
    const auto plain = uri(address, user);
    const auto open_file = password_file("pgpass-readable", test_password,
                                         fs::perms::owner_read | fs::perms::owner_write |
                                             fs::perms::group_read | fs::perms::others_read);
    return {
        {"no password anywhere",
         {{"PGPASSWORD", std::nullopt}, {"PGPASSFILE", (dir / "none").string()}},
         plain,
         "no password supplied"},
        {"a password file others can read (libpq ignores it)",
         {{"PGPASSWORD", std::nullopt}, {"PGPASSFILE", open_file}},
         plain,
         "no password supplied",
         "WARNING: password file \"" + open_file + "\" has group or world access"},
    };
  }

  // What a failure says must name the server, say why, and keep the password out. With a
  // service URL, the server is named by libpq's message and by the service.
  void expect_clean_failure(const std::string& text, const credential_source& source) const {
    expect_no_password(text);
    BOOST_TEST(text.find(source.error_adds) != std::string::npos, text);
    if (source.url.find("service=") != std::string::npos)
      BOOST_TEST(text.find("service=" + service_name) != std::string::npos, text);
    BOOST_TEST(text.find(address.port) != std::string::npos, text);
    if (!address.host.starts_with("/"))
      BOOST_TEST(text.find(address.host) != std::string::npos, text);
  }
};

// What async_start reported, as text, or "" when the database started.
std::string start_error(const database_options& o) {
  boost::asio::io_context ioc;
  database db(ioc.get_executor(), o);
  std::optional<std::string> error;
  db.async_start([&](boost::system::error_code ec, const diagnostics& d) {
    error = ec ? format_error(ec, d) : "";
  });
  BOOST_TEST_REQUIRE(run_until(ioc, [&] { return error.has_value(); }));
  db.close();
  return *error;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(credentials_from_libpq)

BOOST_FIXTURE_TEST_CASE(the_library_connects_with_a_password_from_each_source, credentials) {
  int round = 0;
  for (const auto& source : sources(test_password)) {
    BOOST_TEST_CONTEXT(source.label) {
      const source_env env(source);
      BOOST_TEST(db_version(source.url) == s->latest_version());
      BOOST_TEST(check_database(source.url, *s, roles.prefix()).empty());
      const std::string sku = "sku-" + std::to_string(++round);
      run_coroutine([&](boost::asio::io_context& ioc) -> boost::asio::awaitable<void> {
        database d(ioc.get_executor(), options(source.url));
        co_await d.async_start();
        auto [e1, created] = co_await d.call("create_product", sku, "pen", "blue", 1.5, 3, nullptr,
                                             nullptr, as_tuple);
        BOOST_TEST_REQUIRE(!e1, format_error(e1, created.diag));
        const auto id = created[0].at("product_id");
        auto [e2, found] = co_await d.call("get_product", id, as_tuple);
        BOOST_TEST_REQUIRE(!e2, format_error(e2, found.diag));
        BOOST_TEST(found.size() == 1u);
        BOOST_TEST(found[0].at("sku").as_string() == sku);
        d.close();
      });
    }
  }
}

BOOST_FIXTURE_TEST_CASE(the_library_names_the_server_but_not_a_wrong_password, credentials) {
  auto failing = sources(wrong_test_password);
  for (auto& none : without_password()) failing.push_back(std::move(none));
  for (const auto& source : failing) {
    BOOST_TEST_CONTEXT(source.label) {
      const source_env env(source);
      try {
        db_version(source.url);
        BOOST_ERROR("db_version connected");
      } catch (const upgrade_error& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find("cannot connect to ") != std::string::npos, what);
        expect_clean_failure(what, source);
      }
      const auto error = start_error(options(source.url));
      BOOST_TEST(error.starts_with("connect_failed: "), error);
      expect_clean_failure(error, source);
    }
  }
}

BOOST_FIXTURE_TEST_CASE(the_tool_takes_the_password_from_each_source, credentials) {
  for (const auto& source : sources(test_password)) {
    BOOST_TEST_CONTEXT(source.label) {
      const auto r = cli(source, {"db-version", "--admin-url", source.url});
      BOOST_TEST(r.exit_code == 0, r.err);
      BOOST_TEST(r.out == latest_version() + "\n");
      BOOST_TEST(r.err == "");
      const auto c = cli(source, {"check", "--db", db_dir(), "--prefix", roles.prefix(),
                                  "--admin-url", source.url});
      BOOST_TEST(c.exit_code == 0, c.err);
      BOOST_TEST(c.out == "ok\n");
      const auto call =
          cli(source, {"call", "--db", db_dir(), "--service", "catalog", "--write-url", source.url,
                       "list_products_after", "null", "5"});
      BOOST_TEST(call.exit_code == 0, call.err);
    }
  }
}

BOOST_FIXTURE_TEST_CASE(the_tool_names_the_server_but_not_a_wrong_password, credentials) {
  auto failing = sources(wrong_test_password);
  for (auto& none : without_password()) failing.push_back(std::move(none));
  for (const auto& source : failing) {
    BOOST_TEST_CONTEXT(source.label) {
      // libpq's warning (if any), then the one line of the error.
      const auto expect_error = [&](const process_result& r, const std::string& starts) {
        BOOST_TEST(r.exit_code == 1);
        BOOST_TEST(r.out == "");
        const auto warning = source.warning.empty() ? "" : r.err.substr(0, r.err.find('\n') + 1);
        BOOST_TEST(warning.starts_with(source.warning), r.err);
        const auto line = r.err.substr(warning.size());
        BOOST_TEST(line.starts_with("error: " + starts), r.err);
        BOOST_TEST(line.find('\n') == line.size() - 1, "not one line: " << r.err);
        expect_clean_failure(line, source);
      };
      expect_error(cli(source, {"db-version", "--admin-url", source.url}), "cannot connect to ");
      expect_error(cli(source, {"call", "--db", db_dir(), "--service", "catalog", "--write-url",
                                source.url, "list_products_after", "null", "5"}),
                   "connect_failed: ");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

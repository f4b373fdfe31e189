// Passwords from connection strings never show: not in what the library throws, not in its
// progress events, not in anything the command-line tool prints, whether the connection fails
// (a wrong password the server really checks, no such database, nothing listening, a URL libpq
// cannot parse) or succeeds. Each password form libpq accepts is tried: in the URL (percent-
// encoded in part or in full), as `?password=`, and as `password=` in a keyword string. The
// errors still say which server, user and database failed.
//
// The test cluster asks members of the role pgfns_password_login for a scram-sha-256 password
// (scripts/pg-cluster); the test role is such a member.
#include "role_urls.hpp"
#include "run_process.hpp"
#include "upgrade_test.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include "detail/pq_handle.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <functional>

using namespace pgfns;
using namespace pgfns::test;

namespace {

// Every character that URLs or keyword strings must escape follows the distinctive part.
const std::string password = "S3cr3t-pgfns-Pw :@/?&='\\";
const std::string wrong_password = "S3cr3t-pgfns-Pw-but-wrong";

// `s` with every byte as %XX.
std::string fully_encoded(const std::string& s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) out += {'%', hex[c >> 4], hex[c & 15]};
  return out;
}

// What would give a password away: its distinctive part, as written or fully encoded.
void expect_no_password(const std::string& text) {
  for (const std::string& tell : {std::string("S3cr3t"), fully_encoded("S3cr3t")}) {
    BOOST_TEST(text.find(tell) == std::string::npos, "password shown in: " << text);
  }
}

schema example_schema() {
  return schema::from_db_directory(env_dir("PGFNS_SOURCE_DIR") / "db");
}

// A superuser `<prefix>_admin` that must log in with `password`, and a scratch database.
struct password_role {
  service_roles roles{"pw"};
  scratch_database db{"pw"};
  server_address address = address_of(db.write_url());
  std::string user = roles.prefix() + "_admin";

  password_role() {
    const auto& admin = server().primary;
    query(admin,
          "do $$ begin create role pgfns_password_login nologin; "
          "exception when duplicate_object or unique_violation then null; end $$");
    // Only the SCRAM verifier travels to the server, never the password itself.
    const detail::conn_handle c(PQconnectdb(admin.c_str()));
    BOOST_TEST_REQUIRE(PQstatus(c.get()) == CONNECTION_OK);
    const detail::pq_string_handle verifier(
        PQencryptPasswordConn(c.get(), password.c_str(), user.c_str(), "scram-sha-256"));
    BOOST_TEST_REQUIRE(verifier.get() != nullptr);
    query(admin, "create role " + user + " login superuser in role pgfns_password_login " +
                     "password '" + verifier.get() + "'");
    // The server must really check the password, or the failures below prove nothing.
    try {
      query(keyword_url(address, user, "password=" + keyword_quoted(wrong_password)), "select 1");
      BOOST_FAIL("the server let " + user +
                 " in with a wrong password: its pg_hba.conf must ask "
                 "members of pgfns_password_login for one, as scripts/pg-cluster sets it up");
    } catch (const sql_error& e) {
      BOOST_TEST_REQUIRE(std::string(e.what()).find("password authentication failed") !=
                         std::string::npos);
    }
  }

  std::string good_uri() const { return uri(address, user, percent_encoded(password)); }
  std::string good_full_uri() const { return uri(address, user, fully_encoded(password)); }
  std::string good_query_uri() const {
    return uri(address, user, "", "password=" + percent_encoded(password));
  }
  std::string good_keywords() const {
    return keyword_url(address, user, "password=" + keyword_quoted(password));
  }

  upgrade_options options(const std::string& url, std::vector<progress_event>* events) const {
    auto o = options_for(db, roles.prefix(), events);
    o.admin_url = url;
    return o;
  }
};

process_result cli(std::vector<std::string> args) {
  args.insert(args.begin(), std::getenv("PGFNS_CLI"));
  return run_process(args);
}

std::string db_dir() {
  return (env_dir("PGFNS_SOURCE_DIR") / "db").string();
}

// A connection string that fails, and what its errors must still name.
struct failing {
  std::string label;
  std::string url;
  std::vector<std::string> where;
};

std::vector<failing> failing_urls(const password_role& f) {
  const auto& a = f.address;
  const std::vector<std::string> everything{a.host, a.port, f.user, a.dbname};
  const server_address no_db{a.host, a.port, "no_such_db_" + f.roles.prefix()};
  const server_address closed{a.host, "1", a.dbname};  // nothing listens on port 1
  return {
      {"wrong password in the URL", uri(a, f.user, percent_encoded(wrong_password)), everything},
      {"wrong password fully encoded", uri(a, f.user, fully_encoded(wrong_password)), everything},
      {"wrong password as ?password=",
       uri(a, f.user, "", "password=" + percent_encoded(wrong_password)), everything},
      {"wrong password as password=",
       keyword_url(a, f.user, "password=" + keyword_quoted(wrong_password)), everything},
      // libpq reads an unencoded `?` as part of the password.
      {"wrong password with an unencoded ?", uri(a, f.user, "S3cr3t?pgfns-Pw"), everything},
      {"right password, no such database",
       uri(no_db, f.user, percent_encoded(password)),
       {a.host, a.port, f.user, no_db.dbname}},
      {"right password, nothing listening",
       uri(closed, f.user, percent_encoded(password)),
       {a.host, "1", f.user, a.dbname}},
      // libpq quotes the whole URL when it cannot parse it (here: a missing `]`).
      {"right password, a URL libpq cannot parse",
       "postgresql://" + f.user + ":" + percent_encoded(password) + "@[" + a.host + "/" + a.dbname,
       {a.host, f.user, a.dbname}},
  };
}

// Runs `attempt`, which must throw upgrade_error, and checks its text.
void expect_clean_failure(const std::function<void()>& attempt, const failing& f) {
  try {
    attempt();
    BOOST_ERROR("connected with " << f.label);
  } catch (const upgrade_error& e) {
    const std::string what = e.what();
    expect_no_password(what);
    expect_no_password(e.message());
    BOOST_TEST(what.find("cannot connect to ") != std::string::npos, what);
    for (const auto& part : f.where) BOOST_TEST(what.find(part) != std::string::npos, what);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(password_redaction)

BOOST_FIXTURE_TEST_CASE(library_errors_name_the_server_but_not_the_password, password_role) {
  const auto s = example_schema();
  std::vector<progress_event> events;
  for (const auto& f : failing_urls(*this)) {
    BOOST_TEST_CONTEXT(f.label) {
      auto o = options(f.url, &events);
      expect_clean_failure([&] { upgrade(s, o); }, f);
      expect_clean_failure([&] { plan_upgrade(s, o); }, f);
      o.target = 0;
      expect_clean_failure([&] { downgrade(s, o); }, f);
      expect_clean_failure([&] { plan_downgrade(s, o); }, f);
      expect_clean_failure([&] { db_version(f.url); }, f);
      expect_clean_failure([&] { check_grants(f.url, s, roles.prefix()); }, f);
      expect_clean_failure([&] { check_tables(f.url, s); }, f);
      expect_clean_failure([&] { check_database(f.url, s, roles.prefix()); }, f);
    }
  }
  for (const auto& e : events) expect_no_password(to_string(e));
  BOOST_TEST(db_version(db.write_url()) == 0);
}

BOOST_FIXTURE_TEST_CASE(cli_failures_name_the_server_but_not_the_password, password_role) {
  for (const auto& f : failing_urls(*this)) {
    const std::vector<std::string> common{"--db", db_dir(),   "--admin-url",
                                          f.url,  "--prefix", roles.prefix()};
    const std::vector<std::vector<std::string>> commands{
        {"upgrade"}, {"upgrade", "--dry-run"}, {"downgrade", "--to", "0"}, {"check"}};
    std::vector<std::vector<std::string>> runs{{"db-version", "--admin-url", f.url}};
    for (auto args : commands) {
      args.insert(args.end(), common.begin(), common.end());
      runs.push_back(args);
    }
    for (const auto& args : runs) {
      BOOST_TEST_CONTEXT(f.label << ": pgfns " << args.front()) {
        const auto r = cli(args);
        BOOST_TEST(r.exit_code == 1);
        BOOST_TEST(r.out == "");
        expect_no_password(r.err);
        BOOST_TEST(r.err.starts_with("error: cannot connect to "), r.err);
        for (const auto& part : f.where) BOOST_TEST(r.err.find(part) != std::string::npos, r.err);
      }
    }
  }
}

// The right password, in each form, does its work: proof that it reached the server, which
// asks for it. Nothing printed or reported on the way shows it.
BOOST_FIXTURE_TEST_CASE(successful_library_calls_show_no_password, password_role) {
  const auto s = example_schema();
  std::vector<progress_event> events;
  auto o = options(good_uri(), &events);
  o.target = 2;
  expect_no_password(to_string(upgrade(s, o)));
  BOOST_TEST(db_version(good_full_uri()) == 2);
  o = options(good_query_uri(), &events);
  expect_no_password(to_string(upgrade(s, o)));
  BOOST_TEST(check_database(good_keywords(), s, roles.prefix()).empty());
  o = options(good_full_uri(), &events);
  o.target = 1;
  expect_no_password(to_string(downgrade(s, o)));
  BOOST_TEST(db_version(good_keywords()) == 1);
  BOOST_TEST(!events.empty());
  for (const auto& e : events) expect_no_password(to_string(e));
}

BOOST_FIXTURE_TEST_CASE(successful_commands_print_no_password, password_role) {
  const std::vector<std::pair<std::string, std::string>> forms{{"in the URL", good_uri()},
                                                               {"fully encoded", good_full_uri()},
                                                               {"?password=", good_query_uri()},
                                                               {"password=", good_keywords()}};
  const auto run = [&](const std::string& url, std::vector<std::string> args) {
    if (args.front() != "db-version")
      args.insert(args.end(), {"--db", db_dir(), "--prefix", roles.prefix()});
    args.insert(args.end(), {"--admin-url", url});
    const auto r = cli(args);
    BOOST_TEST(r.exit_code == 0, r.err);
    expect_no_password(r.out);
    expect_no_password(r.err);
    return r.out;
  };
  BOOST_TEST(run(forms[0].second, {"upgrade", "--create-users"}) == "database at version 4\n");
  for (const auto& [label, url] : forms) {
    BOOST_TEST_CONTEXT("the password " << label) {
      BOOST_TEST(run(url, {"db-version"}) == "4\n");
      BOOST_TEST(run(url, {"check"}) == "ok\n");
      BOOST_TEST(run(url, {"upgrade", "--dry-run"}).find("version 4") != std::string::npos);
    }
  }
  BOOST_TEST(run(forms[3].second, {"downgrade", "--to", "1"}) == "database at version 1\n");
  BOOST_TEST(db_version(db.write_url()) == 1);
}

// A connection string where the command line wanted something else is quoted back without
// its password (no server is needed for these).
BOOST_AUTO_TEST_CASE(usage_errors_never_echo_a_password) {
  const std::string url = "postgresql://u:" + percent_encoded(password) + "@h/db";
  const std::vector<std::vector<std::string>> command_lines{
      // `--admin-url $URL` unquoted: the shell split a keyword string in two.
      {"db-version", "--admin-url", "host=h", "password=" + password},
      {"db-version", "--admin-url", "postgresql://u@h/db", url},
      {"upgrade", "--db", db_dir(), "--prefix", "x", "--admin-url", "host=h",
       "--lock-timeout=" + url},
      {"downgrade", "--db", db_dir(), "--prefix", "x", "--admin-url", "host=h", "--to", url},
      {url, "db-version"},
  };
  for (const auto& args : command_lines) {
    BOOST_TEST_CONTEXT("pgfns " << args.front()) {
      const auto r = cli(args);
      BOOST_TEST(r.exit_code == 2, r.err);
      BOOST_TEST(r.err.starts_with("error: "), r.err);
      expect_no_password(r.err);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

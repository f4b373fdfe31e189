// Property, with a server: random passwords (random_passwords.hpp, fixed seed) through every
// error path a connection string takes, and no output shows a 3-byte piece of the password or
// an error of more than one line. The paths: a string libpq cannot parse (or reads otherwise
// than a person), a connection refused (wrong port), a failed login (the role's password is
// another one), and a server error after connecting (the right password, a failing call or a
// refused upgrade). Each goes through the library (database::async_start, then a call's
// diagnostics) and through one of `pgfns call`, `db-version`, `check` and `upgrade`.
#include "core_db.hpp"
#include "password_login.hpp"
#include "random_passwords.hpp"
#include "run_process.hpp"
#include "run_until.hpp"
#include "schema_test_paths.hpp"

#include <pgfns/database.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <memory>
#include <stdexcept>

using namespace pgfns;
using namespace pgfns::test;

namespace {

constexpr std::uint32_t seed = 20261202;
constexpr int runs = 28;  // seven passwords per path, each through the library and one command

enum class path { parse, refused, login, server };

const char* to_string(path p) {
  switch (p) {
    case path::parse:
      return "parse error";
    case path::refused:
      return "connection refused";
    case path::login:
      return "failed login";
    case path::server:
      return "server error";
  }
  return "?";
}

std::string db_dir() {
  return shop_db().string();
}

using login_fixture = shop_login;

// The shape a path takes: libpq cannot parse an invalid percent-encoding after the password,
// and gives the password token in its message; the raw shapes leave it unsure where the
// password ends. The other paths use strings that libpq reads as a person does.
password_shape shape_for(path p, int i, const std::string& password, const server_address& a,
                         const std::string& user, std::mt19937& gen) {
  auto all = password_shapes(password, a, user, gen);
  const auto pick = [&](std::initializer_list<std::string_view> labels) {
    const auto label = *(labels.begin() + i % static_cast<int>(labels.size()));
    for (auto& s : all) {
      if (s.label == label) return s;
    }
    throw std::logic_error("no shape " + std::string(label));
  };
  if (p != path::parse) {
    return pick({"url, encoded password", "keywords, quoted password",
                 "url, encoded password parameter", "keywords, escaped password"});
  }
  if (i % 2 == 0) {
    auto s = pick({"url, encoded password"});
    const auto at = s.conninfo.find('@');
    s.conninfo.insert(at, "%zz");
    s.written += "%zz";
    s.label = "url, encoded password and an invalid escape";
    return s;
  }
  return pick({"url, raw password", "url with two hosts, raw password",
               "url, raw password parameter", "keywords, raw password",
               "postgres:// url, partly encoded password"});
}

struct run_checker {
  std::string context;
  std::string password;
  std::string written;

  void no_piece(const std::string& what, const std::string& text) const {
    const auto piece = shown_piece(text, password, written);
    BOOST_TEST(piece.empty(), context << ": " << what << " shows \"" << piece << "\": \""
                                      << printable(text) << "\"");
  }
  void one_line(const std::string& what, const std::string& text) const {
    BOOST_TEST(lines_of(text).size() <= 1u,
               context << ": " << what << " spans lines: \"" << printable(text) << "\"");
  }
  void diagnostics_clean(boost::system::error_code ec, const diagnostics& d) const {
    for (const auto& [what, text] : {std::pair{"format_error", format_error(ec, d)},
                                     std::pair{"message", d.message}, std::pair{"detail", d.detail},
                                     std::pair{"hint", d.hint}, std::pair{"server", d.server}}) {
      no_piece(what, text);
      one_line(what, text);
    }
  }
};

std::vector<std::string> command(int i, const login_fixture& f, const std::string& url) {
  const std::string cli = std::getenv("PGFNS_CLI");
  const auto good = own_fixture("good").string();
  switch (i % 4) {
    case 0:
      return {cli,           "call", "--db",      db_dir(), "--service", "catalog",
              "--write-url", url,    "set_stock", "-1",     "1"};
    case 1:
      return {cli, "db-version", "--admin-url", url};
    case 2:
      return {cli, "check", "--db", good, "--admin-url", url, "--prefix", f.roles.prefix()};
    default:
      // The database holds db/'s history: the upgrade to another schema is refused.
      return {cli, "upgrade", "--db", good, "--admin-url", url, "--prefix", f.roles.prefix()};
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(password_paths)

BOOST_FIXTURE_TEST_CASE(no_error_path_shows_a_piece_of_the_password, login_fixture) {
  BOOST_TEST_MESSAGE("seed " << seed);
  random_passwords gen(seed);
  int errors_seen = 0;
  for (int i = 0; i < runs; ++i) {
    const auto p = static_cast<path>(i % 4);
    const auto password = gen.next(8, 20);
    const server_address at{address.host, p == path::refused ? "1" : address.port, address.dbname};
    const auto shape = shape_for(p, i / 4, password, at, user, gen.generator());
    set_password(p == path::login ? gen.next() : password);
    const run_checker check{"seed " + std::to_string(seed) + ", run " + std::to_string(i) + " (" +
                                to_string(p) + ", " + shape.label + "), password \"" +
                                printable(password) + "\", " + printable(shape.conninfo),
                            password, shape.written};

    // The library: the start, then (when it started) a call the server refuses.
    run_coroutine([&](boost::asio::io_context& ioc) -> boost::asio::awaitable<void> {
      std::unique_ptr<database> db;
      try {
        db = std::make_unique<database>(ioc.get_executor(), options(shape.conninfo));
      } catch (const std::exception& e) {
        check.no_piece("the database's constructor", e.what());
        check.one_line("the database's constructor", e.what());
        BOOST_TEST((p == path::parse), check.context << ": refused " << e.what());
        co_return;
      }
      auto [ec, diag] = co_await db->async_start(as_tuple);
      check.diagnostics_clean(ec, diag);
      if (!ec) {
        BOOST_TEST((p == path::server), check.context);
        auto [call_ec, r] = co_await db->call("set_stock", -1, 1, as_tuple);
        BOOST_TEST(sqlstate_of(call_ec) == "P0002", check.context);
        check.diagnostics_clean(call_ec, r.diag);
      } else {
        BOOST_TEST((p != path::server), check.context << ": " << format_error(ec, diag));
        if (p == path::login) {
          BOOST_TEST(diag.message.find("password authentication failed") != std::string::npos,
                     check.context << ": " << diag.message);
        }
      }
      db->close();
    });

    // The command line.
    const auto argv = command(i, *this, shape.conninfo);
    const auto r = run_process(argv);
    check.no_piece("stdout of pgfns " + argv[1], r.out);
    check.no_piece("stderr of pgfns " + argv[1], r.err);
    if (r.exit_code != 0) ++errors_seen;
    if (r.exit_code != 0 && !r.err.empty()) {  // `check` lists problems on stdout only
      check.one_line("the error of pgfns " + argv[1], r.err);
      BOOST_TEST(r.err.starts_with("error: "), check.context << ": " << r.err);
    }
    if (p != path::server) BOOST_TEST(r.exit_code != 0, check.context << ": " << r.out);
  }
  BOOST_TEST(errors_seen >= runs * 3 / 4);  // every path but the server's fails every command
}

BOOST_AUTO_TEST_SUITE_END()

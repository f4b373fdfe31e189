// Property: whatever shape a connection string has and whatever its password holds, no entry
// point that redacts shows a 3-byte piece of the password (as written or decoded), and every
// message is one line. Random passwords from a fixed seed, in every shape of
// random_passwords.hpp, through: redact_connection_string and redact_message (the public and
// the internal ones), libpq's own parse error (PQconninfoParse needs no server), messages that
// quote any token of the string or the whole string, and conninfo (its refusal, its server
// name and its libpq messages).
#include "client/pq/conninfo.hpp"
#include "common/error_line.hpp"
#include "common/pq_handle.hpp"
#include "common/url_redact.hpp"
#include "random_passwords.hpp"

#include <pgfns/redact.hpp>

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <vector>

using namespace pgfns::test;

namespace {

constexpr std::uint32_t seed = 20261202;
constexpr int passwords = 40;
const server_address where{"127.0.0.1", "5432", "shop"};
const std::string user = "shop_catalog";

// Every text libpq may quote from `s`: the whole string, each run between two of its delimiters
// (with the delimiter before it), and each run from a delimiter to the end.
std::vector<std::string> tokens_of(const std::string& s) {
  std::vector<std::size_t> cuts{0};
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (std::string_view("@:/?&=,[] '\"\\%").find(s[i]) != std::string_view::npos) {
      cuts.push_back(i);
      cuts.push_back(i + 1);
    }
  }
  cuts.push_back(s.size());
  std::vector<std::string> out{s};
  for (std::size_t i = 0; i < cuts.size(); ++i) {
    for (const std::size_t j : {i + 2, cuts.size() - 1}) {
      if (j < cuts.size() && cuts[j] > cuts[i]) out.push_back(s.substr(cuts[i], cuts[j] - cuts[i]));
    }
  }
  return out;
}

std::string libpq_parse_error(const std::string& conninfo) {
  char* raw = nullptr;
  const pgfns::detail::conninfo_options_handle options(PQconninfoParse(conninfo.c_str(), &raw));
  const pgfns::detail::pq_string_handle error(raw);
  return error ? error.get() : "";
}

struct checker {
  int index = 0;
  std::string password;
  const password_shape* shape = nullptr;
  int failures = 0;

  void check(const std::string& entry, const std::string& output, bool message) {
    const auto piece = shown_piece(output, password, shape->written);
    const bool several_lines = message && lines_of(output).size() > 1;
    if (piece.empty() && !several_lines) return;
    if (++failures > 20) return;  // enough to see the pattern
    BOOST_ERROR("seed " << seed << ", password #" << index << " \"" << printable(password) << "\", "
                        << shape->label << ": " << printable(shape->conninfo) << "; " << entry
                        << " gave \"" << printable(output) << "\""
                        << (piece.empty() ? " (several lines)" : ", showing \"" + piece + "\""));
  }

  void check_all() {
    const std::string& ci = shape->conninfo;
    check("detail::redact_connection_string", pgfns::detail::redact_connection_string(ci), false);
    check("pgfns::redact_connection_string", pgfns::redact_connection_string(ci), false);
    check("redact_message of the string itself", pgfns::redact_message("at " + ci + ".", ci),
          false);
    if (const auto e = libpq_parse_error(ci); !e.empty()) {
      check("libpq's parse error", pgfns::detail::error_line(pgfns::detail::redact_message(e, ci)),
            true);
    }
    for (const auto& token : tokens_of(ci)) {
      check("a message quoting \"" + printable(token) + "\"",
            pgfns::detail::redact_message("invalid token: \"" + token + "\"", ci), false);
    }
    try {
      const pgfns::detail::conninfo c(ci, {});
      check("conninfo::server", c.server(), false);
      check(
          "conninfo::message",
          c.message("FATAL: \"" + password + "\"\n\"" + shape->written + "\"\nHINT: " + ci + "\n"),
          true);
    } catch (const std::invalid_argument& e) {
      check("conninfo's refusal", e.what(), true);
    }
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(redaction_property)

BOOST_AUTO_TEST_CASE(no_piece_of_a_random_password_in_any_shape_survives_redaction) {
  random_passwords gen(seed);
  BOOST_TEST_MESSAGE("seed " << seed);
  checker c;
  std::size_t shapes = 0;
  for (c.index = 0; c.index < passwords; ++c.index) {
    c.password = gen.next();
    const auto all = password_shapes(c.password, where, user, gen.generator());
    for (const auto& shape : all) {
      c.shape = &shape;
      c.check_all();
      ++shapes;
    }
  }
  BOOST_TEST(c.failures == 0);
  BOOST_TEST(shapes == passwords * 9u);
}

BOOST_AUTO_TEST_CASE(the_checks_see_a_leak) {
  // The property above could pass by checking nothing: a text holding a piece must fail it.
  random_passwords gen(seed);
  const auto password = gen.next(12, 12);
  const auto shape = password_shapes(password, where, user, gen.generator()).front();
  BOOST_TEST(shown_piece("x" + password.substr(4, 3) + "y", password, shape.written) ==
             password.substr(4, 3));
  BOOST_TEST(shown_piece("connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
                         "password authentication failed for user \"shop_catalog\"",
                         password, shape.written)
                 .empty());
  BOOST_TEST(lines_of("a\nb").size() == 2u);
  BOOST_TEST(lines_of("a\rb\n").size() == 2u);
}

BOOST_AUTO_TEST_CASE(libpq_and_server_text_becomes_one_line) {
  using pgfns::detail::error_line;
  BOOST_TEST(error_line("connection to server at \"h\", port 1 failed: Connection refused\n\tIs "
                        "the server running on that host and accepting TCP/IP connections?\n") ==
             "connection to server at \"h\", port 1 failed: Connection refused; Is the server "
             "running on that host and accepting TCP/IP connections?");
  BOOST_TEST(error_line("a;\r\nb\x01"
                        "c\n\n") == "a; b c");
  BOOST_TEST(error_line("\n  ") == "");
}

BOOST_AUTO_TEST_SUITE_END()

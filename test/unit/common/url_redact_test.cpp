// Redacting connection strings and messages about them: no form of password survives, and
// what remains still says where the connection went.
#include "common/url_redact.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>

using pgfns::detail::password_misread;
using pgfns::detail::redact_connection_string;
using pgfns::detail::redact_message;

namespace {

// The tests' password is S3cr3t-pgfns-Pw (S3cr3t%2Dpgfns%2DPw when encoded).
bool shows_secret(const std::string& text) {
  // Any three-character piece of the password would already say too much.
  return text.find("S3cr") != std::string::npos || text.find("fns-Pw") != std::string::npos ||
         text.find("%2D") != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(url_redact)

BOOST_AUTO_TEST_CASE(url_passwords_are_removed_and_the_rest_kept) {
  const std::pair<std::string, std::string> cases[] = {
      {"postgresql://admin:S3cr3t-pgfns-Pw@127.0.0.1:5432/db",
       "postgresql://admin@127.0.0.1:5432/db"},
      {"postgres://admin:S3cr3t-pgfns-Pw@db.example:6432/app?sslmode=require",
       "postgres://admin@db.example:6432/app?sslmode=require"},
      {"postgresql://admin:S3cr3t%2Dpgfns%2DPw@[::1]:5432/db", "postgresql://admin@[::1]:5432/db"},
      {"postgresql://u@h/db?sslmode=disable&password=S3cr3t-pgfns-Pw&application_name=x",
       "postgresql://u@h/db?sslmode=disable&application_name=x"},
      // libpq cannot parse this: the password parameter may hold an unencoded `&`, so it takes
      // the rest of the query.
      {"postgresql://u@h/db?sslmode=disable&password=S3cr3t&pgfns-Pw&application_name=x",
       "postgresql://u@h/db?sslmode=disable"},
      {"postgresql://u@h/db?password=S3cr3t-pgfns-Pw", "postgresql://u@h/db"},
      {"postgresql://u:S3cr3t-pgfns-Pw@h1:5432,h2:5433/db", "postgresql://u@h1:5432,h2:5433/db"},
      {"postgresql://h:5432/db", "postgresql://h:5432/db"},
      {"postgresql://u@h/db?application_name=a", "postgresql://u@h/db?application_name=a"},
  };
  for (const auto& [url, expected] : cases) BOOST_TEST(redact_connection_string(url) == expected);
}

BOOST_AUTO_TEST_CASE(passwords_libpq_reads_differently_from_a_person_are_removed_too) {
  const std::pair<std::string, std::string> cases[] = {
      // libpq looks only for `@` or `/`: a `?` belongs to the password.
      {"postgresql://u:S3cr3t?pgfns-Pw@h:5/db", "postgresql://u@h:5/db"},
      {"postgresql://u:S3cr3t-pg&fns=Pw@h:5/db?sslmode=disable",
       "postgresql://u@h:5/db?sslmode=disable"},
      // Unencoded `@` and `/`: libpq misreads these, and the redaction must not.
      {"postgresql://u:S3cr3t@pgfns-Pw@h:5/db", "postgresql://u@h:5/db"},
      {"postgresql://u:S3cr3t/pgfns-Pw@h:5/db", "postgresql://u@h:5/db"},
      // libpq decodes query keys: this is a password parameter.
      {"postgresql://u@h/db?pass%77ord=S3cr3t-pgfns-Pw&port=5", "postgresql://u@h/db?port=5"},
  };
  for (const auto& [url, expected] : cases) {
    BOOST_TEST(redact_connection_string(url) == expected);
    BOOST_TEST(!shows_secret(redact_connection_string(url)), url);
  }
}

BOOST_AUTO_TEST_CASE(keyword_passwords_are_removed_in_every_quoting) {
  const std::pair<std::string, std::string> cases[] = {
      {"host=h port=5 password=S3cr3t-pgfns-Pw dbname=d", "host=h port=5 dbname=d"},
      {"host=h password = 'S3cr3t pgfns Pw' dbname=d", "host=h dbname=d"},
      {R"(host=h password='x\'S3cr3t-pgfns-Pw' dbname=d)", "host=h dbname=d"},
      {R"(host=h password=x\ S3cr3t-pgfns-Pw dbname=d)", "host=h dbname=d"},
      {"host=h password='S3cr3t-pgfns-Pw", "host=h"},  // unterminated: libpq refuses it
      // libpq refuses these: where the password ends is unclear, so it takes the rest.
      {"user password=S3cr3t-pgfns-Pw host=h", "user"},
      {"host=h password=S3cr3t pgfns-Pw dbname=d", "host=h"},
      {"host=h user=u", "host=h user=u"},
  };
  for (const auto& [conninfo, expected] : cases) {
    BOOST_TEST(redact_connection_string(conninfo) == expected);
  }
}

BOOST_AUTO_TEST_CASE(messages_quoting_the_url_or_a_password_token_are_masked) {
  // Texts libpq really produces for these strings (PQconnectdb's error message).
  const std::string ipv6 = "postgresql://u:S3cr3t-pgfns-Pw@[::1/db";
  BOOST_TEST(redact_message("end of string reached when looking for matching \"]\" in IPv6 host "
                            "address in URI: \"" +
                                ipv6 + "\"",
                            ipv6) ==
             "end of string reached when looking for matching \"]\" in IPv6 host address in URI: "
             "\"postgresql://u@[::1/db\"");

  const std::string bad_escape = "postgresql://u:S3cr3t-pgfns-Pw%zz@h/db";
  BOOST_TEST(redact_message("invalid percent-encoded token: \"S3cr3t-pgfns-Pw%zz\"", bad_escape) ==
             "invalid percent-encoded token: \"***\"");

  const std::string unencoded_at = "postgresql://u:p@S3cr3t-pgfns-Pw@127.0.0.1:1/db";
  BOOST_TEST(redact_message("could not translate host name \"S3cr3t-pgfns-Pw@127.0.0.1\" to "
                            "address: Name or service not known",
                            unencoded_at) ==
             "could not translate host name \"***@127.0.0.1\" to address: Name or service not "
             "known");

  const std::string decoded = "host=h password='S3cr3t pgfns Pw'";
  BOOST_TEST(!shows_secret(redact_message("quoted S3cr3t pgfns Pw here", decoded)));
}

BOOST_AUTO_TEST_CASE(text_without_a_password_to_hide_is_left_alone) {
  // The command-line tool passes every argument as `conninfo`: most are no connection string.
  BOOST_TEST(redact_message("unexpected argument '--db'", "--db") == "unexpected argument '--db'");
  BOOST_TEST(redact_message("cannot connect to postgresql://u@h/db", "postgresql://u@h/db") ==
             "cannot connect to postgresql://u@h/db");
  // A password the redacted string shows anyway (it equals the user name) is not masked:
  // that would only hide where the connection went. Elsewhere, its pieces are.
  BOOST_TEST(redact_message("password authentication failed for user \"postgres\"",
                            "postgresql://postgres:postgres@h/db") ==
             "password authentication failed for user \"postgres\"");
  BOOST_TEST(redact_message("invalid token \"postgres1\"",
                            "postgresql://postgres:postgres1@h/db") == "invalid token \"***\"");
  BOOST_TEST(
      redact_message("connection to db_of_shop failed", "postgresql://u:shop7@h/db_of_shop") ==
      "connection to db_of_shop failed");
  // Fragments shorter than three characters are not masked.
  BOOST_TEST(redact_message("invalid integer value \"pa\" for connection option \"port\"",
                            "postgresql://u:pa/S3cr3t-pgfns-Pw@h/db") ==
             "invalid integer value \"pa\" for connection option \"port\"");
}

BOOST_AUTO_TEST_CASE(a_password_libpq_reads_differently_is_recognised) {
  // libpq ends these passwords at the first `@` (or, with a `/` first, finds none) and takes
  // the rest for the host name or port.
  BOOST_TEST(password_misread("postgresql://u:x@S3cr3t-pgfns-Pw@127.0.0.1:5432/db"));
  BOOST_TEST(password_misread("postgresql://u:pa/S3cr3t-pgfns-Pw@h/db"));
  BOOST_TEST(password_misread("postgresql://shop_catalog:S3cr@:/%Tail9@127.0.0.1:5432/shop"));
  BOOST_TEST(!password_misread("postgresql://u:S3cr3t%40pgfns%2FPw@127.0.0.1/db"));
  BOOST_TEST(!password_misread("postgresql://u:S3cr3t?pgfns-Pw@h/db"));
  BOOST_TEST(!password_misread("postgresql://u@h/db?password=x"));
  BOOST_TEST(!password_misread("postgresql://h/my@db"));  // no `:`, so no password
  BOOST_TEST(!password_misread("host=h password=x@y/z"));
}

BOOST_AUTO_TEST_CASE(an_unencoded_at_sign_never_leaves_a_piece_of_the_password) {
  // libpq fails on this URL quoting "%Tail9@127.0.0.1:5432/shop", which holds the password's
  // end: the redaction takes the last `@` for the end of the user info.
  const std::string url = "postgresql://shop_catalog:S3cr@:/%Tail9@127.0.0.1:5432/shop";
  BOOST_TEST(redact_connection_string(url) == "postgresql://shop_catalog@127.0.0.1:5432/shop");
  BOOST_TEST(redact_message("invalid percent-encoded token: \"%Tail9@127.0.0.1:5432/shop\"", url) ==
             "invalid percent-encoded token: \"***@127.0.0.1:5432/shop\"");
}

BOOST_AUTO_TEST_SUITE_END()

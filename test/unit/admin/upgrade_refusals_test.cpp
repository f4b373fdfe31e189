// What upgrade() and downgrade() refuse before touching a server: invalid prefixes, targets
// outside the schema, and connection failures, whose messages never show a password.
#include "schema_test_paths.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgfns;
using namespace pgfns::test;

namespace {

// Port 1 on loopback: nothing listens, so connecting fails at once.
constexpr const char* unreachable = "postgresql://admin:s3cret@127.0.0.1:1/db?password=hunter2";

std::string failure_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const upgrade_error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(upgrade_refusals)

BOOST_AUTO_TEST_CASE(invalid_prefixes) {
  const auto s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  upgrade_options o;
  o.admin_url = unreachable;
  for (const char* prefix : {"", "Tc", "tc1", "tc-x", "tc;drop"}) {
    o.prefix = prefix;
    BOOST_TEST(failure_of([&] { upgrade(s, o); }).find("invalid username prefix") == 0u);
    o.target = 0;
    BOOST_TEST(failure_of([&] { downgrade(s, o); }).find("invalid username prefix") == 0u);
    BOOST_TEST(failure_of([&] {
                 check_grants(unreachable, s, o.prefix);
               }).find("invalid username prefix") == 0u);
  }
}

BOOST_AUTO_TEST_CASE(targets_outside_the_schema) {
  const auto s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  upgrade_options o;
  o.admin_url = unreachable;
  o.prefix = "tc";
  o.target = 4;
  BOOST_TEST(failure_of([&] { upgrade(s, o); }) ==
             "target version 4 is outside this schema's versions 0..3");
  o.target = -1;
  BOOST_TEST(failure_of([&] { downgrade(s, o); }) ==
             "a downgrade needs a target version of 0 or more");
}

BOOST_AUTO_TEST_CASE(connection_failures_hide_the_password) {
  const auto message = failure_of([] { db_version(unreachable); });
  BOOST_TEST_MESSAGE(message);
  BOOST_TEST(message.find("postgresql://admin@127.0.0.1:1/db") != std::string::npos);
  BOOST_TEST(message.find("s3cret") == std::string::npos);
  BOOST_TEST(message.find("hunter2") == std::string::npos);

  const auto keywords =
      failure_of([] { db_version("host=127.0.0.1 port=1 password='a b\\'c' user=admin"); });
  BOOST_TEST_MESSAGE(keywords);
  BOOST_TEST(keywords.find("host=127.0.0.1 port=1 user=admin") != std::string::npos);
  BOOST_TEST(keywords.find("a b") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

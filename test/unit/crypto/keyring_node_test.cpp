// Compatibility with Taskcluster: values encrypted by Node's crypto module (aes-256-cbc, as
// Taskcluster's lib-postgres does; test/unit/crypto/taskcluster_crypto.js) decrypt here, and
// values encrypted here decrypt there. Needs `node` in PATH: without it the test fails.
#include <pgfns/keyring.hpp>

#include "crypto/base64.hpp"
#include "run_process.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

using pgfns::keyring;
using pgfns::test::run_process;

namespace {

const std::string key_a = "AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o=";
const std::string key_b = "//z59vPw7ern5OHe29jV0s/MycbDwL26t7SxrquopaI=";
const std::string keys_json = R"([{"id": "old", "algo": "aes-256", "key": ")" + key_b +
                              R"("}, {"id": "k1", "algo": "aes-256", "key": ")" + key_a + R"("}])";

std::string script() {
  const char* src = std::getenv("PGFNS_SOURCE_DIR");
  BOOST_TEST_REQUIRE(src != nullptr, "PGFNS_SOURCE_DIR is not set (run the test through ctest)");
  return std::string(src) + "/test/unit/crypto/taskcluster_crypto.js";
}

// Runs `node taskcluster_crypto.js args...` with `input` on stdin; returns its stdout.
std::string node(std::vector<std::string> args, const std::string& input) {
  args.insert(args.begin(), {"node", script()});
  pgfns::test::process_options options;
  options.input = input;
  pgfns::test::process_result r;
  try {
    r = run_process(args, options);
  } catch (const std::system_error& e) {
    BOOST_FAIL(
        "cannot run `node` (Node.js), which this test needs to check compatibility with "
        "Taskcluster: install it (Debian package nodejs; scripts/setup does): "
        << e.what());
  }
  BOOST_TEST_REQUIRE(r.exit_code == 0, "node " << args[2] << " failed: " << r.err);
  return r.out;
}

std::string sample(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 167 + n) % 256);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(keyring_node)

BOOST_AUTO_TEST_CASE(node_is_installed) {
  pgfns::test::process_result r;
  try {
    r = run_process({"node", "--version"});
  } catch (const std::system_error& e) {
    BOOST_FAIL(
        "`node` (Node.js) is not installed; the keyring's compatibility test needs it: "
        "install the Debian package nodejs (scripts/setup does): "
        << e.what());
  }
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.starts_with("v"), r.out);
}

BOOST_AUTO_TEST_CASE(values_encrypted_by_node_decrypt_here) {
  const keyring keys = keyring::parse(keys_json);
  for (std::size_t n : {0, 1, 16, 17, 100, 40000}) {
    const std::string plaintext = sample(n);
    // One chunk, as Taskcluster writes; and several, as older azure-entities values hold.
    for (const char* chunk : {"0", "16", "1000"}) {
      const std::string out = node({"encrypt", "k1", key_a, chunk}, plaintext);
      const boost::json::value v = boost::json::parse(out);
      BOOST_TEST(v.at("kid").as_string() == "k1");
      BOOST_TEST(keys.decrypt_to_string(v) == plaintext, "n " << n << ", chunk " << chunk);
    }
  }
  const std::string old = node({"encrypt", "old", key_b, "0"}, "rotated");
  BOOST_TEST(keys.decrypt_to_string(boost::json::parse(old)) == "rotated");
}

BOOST_AUTO_TEST_CASE(values_encrypted_here_decrypt_in_node) {
  const keyring keys = keyring::parse(keys_json);
  for (std::size_t n : {0, 1, 15, 16, 17, 100, 40000}) {
    const std::string plaintext = sample(n);
    const boost::json::value v = keys.encrypt(plaintext);
    const std::string out = node({"decrypt", keys_json}, boost::json::serialize(v));
    const auto bytes = pgfns::crypto::base64_decode(out);
    BOOST_TEST_REQUIRE(bytes.has_value(), out);
    BOOST_TEST(
        std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size()) == plaintext, n);
  }
}

BOOST_AUTO_TEST_SUITE_END()

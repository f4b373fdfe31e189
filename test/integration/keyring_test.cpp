// The keyring with the server: an encrypted value stored through a method and read back, and
// one that went through jsonb (which reorders keys and rewrites numbers), decrypt as they were.
#include <pgfns/database.hpp>
#include <pgfns/keyring.hpp>

#include "core_db.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <string>

using boost::asio::awaitable;
using pgfns::test::core_database;
using pgfns::test::run_with_database;

namespace {

const pgfns::keyring keys = pgfns::keyring::parse(
    R"([{"id": "old", "algo": "aes-256", "key": "//z59vPw7ern5OHe29jV0s/MycbDwL26t7SxrquopaI="},
        {"id": "k1", "algo": "aes-256", "key": "AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o="}])");

struct keyring_fixture {
  core_database db{"keyring"};
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(keyring_server, keyring_fixture)

BOOST_AUTO_TEST_CASE(a_value_stored_and_read_back_decrypts) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const std::string secret = "token: s3cr3t \xe2\x9c\x93";
    const boost::json::value encrypted = keys.encrypt(secret);
    // items.name is text: the value is stored as JSON text.
    const pgfns::result added = co_await d.call("add_item", boost::json::serialize(encrypted));
    const auto id = added[0].at("id").as_int64();
    // get_item is a read: read-your-writes, so that a standby behind the primary cannot
    // answer that there is no such item.
    const pgfns::result read = co_await d.call_with({.read_your_writes = true}, "get_item", id);
    BOOST_TEST_REQUIRE(read.size() == 1u);
    const boost::json::value stored = boost::json::parse(read[0].at("name").as_string());
    BOOST_TEST(stored == encrypted);
    BOOST_TEST(keys.decrypt_to_string(stored) == secret);
  });
}

BOOST_AUTO_TEST_CASE(a_value_through_jsonb_decrypts) {
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    std::string secret(3000, '\0');
    for (std::size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<char>(i * 7);
    const boost::json::value encrypted = keys.encrypt(secret);
    const pgfns::result r = co_await d.call("echo_jsonb", encrypted);
    BOOST_TEST_REQUIRE(r.size() == 1u);
    const boost::json::value& back = r[0].at("v");
    BOOST_TEST(back.at("kid").as_string() == "k1");
    BOOST_TEST(keys.decrypt_to_string(back) == secret);

    // A value of the older key, in two chunks, as Taskcluster may hold it.
    const pgfns::keyring old_only = pgfns::keyring::parse(
        R"([{"id": "old", "algo": "aes-256", "key": "//z59vPw7ern5OHe29jV0s/MycbDwL26t7SxrquopaI="}])");
    const boost::json::value one = old_only.encrypt("rotated");
    const std::string b64(one.at("__buf0_val").as_string());
    // 32 bytes: 44 characters of base64; cut after 24 (18 bytes, no padding inside).
    const boost::json::value two = {{"kid", "old"},
                                    {"v", 0},
                                    {"__bufchunks_val", 2},
                                    {"__buf0_val", b64.substr(0, 24)},
                                    {"__buf1_val", b64.substr(24)}};
    const pgfns::result r2 = co_await d.call("echo_jsonb", two);
    BOOST_TEST(keys.decrypt_to_string(r2[0].at("v")) == "rotated");
  });
}

BOOST_AUTO_TEST_SUITE_END()

// The keyring without a server: configuration, round trips, multi-chunk values and every error.
// Compatibility with values made by Node's crypto module: keyring_node_test.
#include <pgfns/keyring.hpp>

#include "crypto/base64.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

using pgfns::keyring;
using pgfns::keyring_errc;
using pgfns::keyring_error;

namespace {

// Two keys: bytes 1, 8, 15, ... (A) and 255, 252, 249, ... (B).
const std::string key_a = "AQgPFh0kKzI5QEdOVVxjanF4f4aNlJuiqbC3vsXM09o=";
const std::string key_b = "//z59vPw7ern5OHe29jV0s/MycbDwL26t7SxrquopaI=";
// "pgfns keyring" encrypted by Node (aes-256-cbc) with key A and the IV 00 01 .. 0f.
const std::string node_value_a = "AAECAwQFBgcICQoLDA0OD5wYKjOUE8av+EmTa+XyEAY=";

std::string keys_json(const std::vector<std::pair<std::string, std::string>>& keys) {
  boost::json::array list;
  for (const auto& [id, key] : keys)
    list.push_back({{"id", id}, {"algo", "aes-256"}, {"key", key}});
  return boost::json::serialize(list);
}

std::vector<std::byte> bytes_of(std::string_view s) {
  const auto b = std::as_bytes(std::span(s.data(), s.size()));
  return {b.begin(), b.end()};
}

// Runs `f`, which must throw keyring_error with `code`; returns its message.
std::string error_of(keyring_errc code, const std::function<void()>& f) {
  try {
    f();
  } catch (const keyring_error& e) {
    BOOST_TEST(e.code() == code, e.what());
    return e.what();
  }
  BOOST_ERROR("no keyring_error (" << pgfns::keyring_errc_name(code) << ")");
  return {};
}

boost::json::value node_value(std::string kid = "k1") {
  return {{"kid", kid}, {"v", 0}, {"__bufchunks_val", 1}, {"__buf0_val", node_value_a}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(keyring_unit)

BOOST_AUTO_TEST_CASE(base64_round_trips_and_refuses_what_is_not_base64) {
  std::vector<std::byte> bytes;
  for (int n = 0; n < 70; ++n) {
    const std::string text = pgfns::crypto::base64_encode(bytes);
    BOOST_TEST(text.size() % 4 == 0u);
    const auto back = pgfns::crypto::base64_decode(text);
    BOOST_TEST_REQUIRE(back.has_value(), text);
    BOOST_TEST((*back == bytes), text);
    bytes.push_back(static_cast<std::byte>(n * 37 + 11));
  }
  BOOST_TEST(pgfns::crypto::base64_encode(bytes_of("hi")) == "aGk=");
  BOOST_TEST((*pgfns::crypto::base64_decode("aGk") == bytes_of("hi")));  // padding left out
  for (const char* bad : {"a", "aGk=a", "a=Gk", "aG!=", "aGl=", "aGk==", "aGk===", "aGVsbG8-"}) {
    BOOST_TEST(!pgfns::crypto::base64_decode(bad).has_value(), bad);
  }
}

BOOST_AUTO_TEST_CASE(the_last_key_is_current_and_azure_comes_first) {
  const keyring none;
  BOOST_TEST(none.current_key_id() == "");
  const keyring azure_only(boost::json::value(), key_a);
  BOOST_TEST(azure_only.current_key_id() == "azure");
  const keyring both = keyring::parse(keys_json({{"k1", key_a}, {"k2", key_b}}), key_b);
  BOOST_TEST(both.current_key_id() == "k2");
  BOOST_TEST((both.key_ids() == std::vector<std::string>{"azure", "k1", "k2"}));
  BOOST_TEST(both.has_key("k1"));
  BOOST_TEST(!both.has_key("k3"));
  BOOST_TEST(both.encrypt("x").at("kid").as_string() == "k2");
  // An "azure" entry of the list replaces azureCryptoKey (Taskcluster does the same).
  const keyring replaced = keyring::parse(keys_json({{"azure", key_a}}), key_b);
  BOOST_TEST(replaced.decrypt_to_string(node_value("azure")) == "pgfns keyring");
  // Fields other than id, algo and key are left alone, as Taskcluster does.
  const keyring extra = keyring::parse(R"([{"id": "k1", "algo": "aes-256", "key": ")" + key_a +
                                       R"(", "note": "spare"}])");
  BOOST_TEST(extra.decrypt_to_string(node_value()) == "pgfns keyring");
}

BOOST_AUTO_TEST_CASE(values_round_trip_in_taskclusters_format) {
  const keyring keys = keyring::parse(keys_json({{"old", key_b}, {"k1", key_a}}));
  std::vector<std::byte> plaintext;
  for (std::size_t n : {0, 1, 15, 16, 17, 31, 32, 33, 1000, 70000}) {
    plaintext.resize(n);
    for (std::size_t i = 0; i < n; ++i) plaintext[i] = static_cast<std::byte>(i * 131 + n);
    const boost::json::value v = keys.encrypt(plaintext);
    const auto& o = v.as_object();
    BOOST_TEST(o.size() == 4u);
    BOOST_TEST(o.at("kid").as_string() == "k1");
    BOOST_TEST(o.at("v").as_int64() == 0);
    BOOST_TEST(o.at("__bufchunks_val").as_int64() == 1);
    const auto payload = pgfns::crypto::base64_decode(o.at("__buf0_val").as_string());
    BOOST_TEST_REQUIRE(payload.has_value());
    BOOST_TEST(payload->size() == 16 + (n / 16 + 1) * 16, n);  // IV, then PKCS#7-padded blocks
    BOOST_TEST((keys.decrypt(v) == plaintext), n);
    // Through JSON text, as stored in a jsonb column.
    BOOST_TEST((keys.decrypt(boost::json::parse(boost::json::serialize(v))) == plaintext), n);
  }
  // A fresh IV each time: the same plaintext never gives the same value.
  BOOST_TEST(keys.encrypt("same").at("__buf0_val") != keys.encrypt("same").at("__buf0_val"));
}

BOOST_AUTO_TEST_CASE(any_configured_key_decrypts_its_values) {
  const keyring old_keys = keyring::parse(keys_json({{"old", key_b}}));
  const boost::json::value v = old_keys.encrypt("from the old key");
  const keyring rotated = keyring::parse(keys_json({{"old", key_b}, {"k1", key_a}}));
  BOOST_TEST(rotated.current_key_id() == "k1");
  BOOST_TEST(rotated.decrypt_to_string(v) == "from the old key");
  BOOST_TEST(rotated.decrypt_to_string(node_value()) == "pgfns keyring");
}

BOOST_AUTO_TEST_CASE(multi_chunk_values_are_concatenated_in_order) {
  const keyring keys = keyring::parse(keys_json({{"k1", key_a}}));
  std::string text(5000, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) text[i] = static_cast<char>('a' + i % 26);
  const auto one = keys.encrypt(text);
  const auto payload = *pgfns::crypto::base64_decode(one.at("__buf0_val").as_string());
  for (std::size_t chunk : {1, 7, 16, 1000, 5040}) {
    boost::json::object v{{"kid", "k1"}, {"v", 0}};
    std::size_t n = 0;
    for (std::size_t at = 0; at < payload.size(); at += chunk, ++n) {
      const auto part = std::span(payload).subspan(at, std::min(chunk, payload.size() - at));
      v["__buf" + std::to_string(n) + "_val"] = pgfns::crypto::base64_encode(part);
    }
    v["__bufchunks_val"] = n;
    BOOST_TEST(keys.decrypt_to_string(v) == text, chunk);
    // Chunks out of order give other bytes: the padding check (or the text) tells.
    if (n > 2) {
      std::swap(v["__buf0_val"], v["__buf1_val"]);
      try {
        BOOST_TEST(keys.decrypt_to_string(v) != text, chunk);
      } catch (const keyring_error& e) {
        BOOST_TEST(e.code() == keyring_errc::wrong_key, chunk);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(configuration_errors_say_what_and_which_key) {
  const std::string short_key = "AAECAwQFBgcICQoLDA0ODw==";  // 16 bytes
  std::string m = error_of(keyring_errc::bad_key, [&] {
    keyring::parse(keys_json({{"k1", short_key}}));
  });
  BOOST_TEST(m == "keyring: aes-256 key \"k1\" must be 32 bytes (in base64), not 16");
  m = error_of(keyring_errc::bad_key, [&] { keyring(boost::json::value(), short_key); });
  BOOST_TEST(m == "keyring: aes-256 key \"azure\" must be 32 bytes (in base64), not 16");
  m = error_of(keyring_errc::bad_key, [&] { keyring::parse(keys_json({{"k1", "not base64!"}})); });
  BOOST_TEST(m == "keyring: key \"k1\" is not base64");
  m = error_of(keyring_errc::unknown_algorithm, [&] {
    keyring::parse(R"([{"id": "k1", "algo": "aes-128", "key": ")" + key_a + R"("}])");
  });
  BOOST_TEST(m == "keyring: key \"k1\" has algo \"aes-128\"; the only one known is \"aes-256\"");
  m = error_of(keyring_errc::duplicate_key_id, [&] {
    keyring::parse(keys_json({{"k1", key_a}, {"k2", key_b}, {"k1", key_b}}));
  });
  BOOST_TEST(m == "keyring: key id \"k1\" appears twice in the list");
  m = error_of(keyring_errc::bad_config, [&] { keyring::parse(R"({"id": "k1"})"); });
  BOOST_TEST(m ==
             "keyring: the key list is not a JSON array of {\"id\", \"algo\", \"key\"} objects");
  m = error_of(keyring_errc::bad_config, [&] { keyring::parse(R"(["k1"])"); });
  BOOST_TEST(m == "keyring: key 0 of the list is not an object {\"id\", \"algo\", \"key\"}");
  m = error_of(keyring_errc::bad_config, [&] {
    keyring::parse(R"([{"id": "k1", "algo": "aes-256", "key": ")" + key_a +
                   R"("}, {"algo": "aes-256", "key": ")" + key_b + R"("}])");
  });
  BOOST_TEST(m == "keyring: key 1 of the list has no \"id\" (a non-empty text)");
  m = error_of(keyring_errc::bad_config,
               [&] { keyring::parse(R"([{"id": "k1", "algo": "aes-256", "key": 7}])"); });
  BOOST_TEST(m == "keyring: key 0 of the list has no \"key\" (a non-empty text)");
  // Broken JSON text: where it fails, not what it holds (it may hold keys).
  m = error_of(keyring_errc::bad_config, [&] { keyring::parse("[{\"key\": \"" + key_a); });
  BOOST_TEST(m.starts_with("keyring: the key list is not valid JSON ("), m);
  BOOST_TEST(m.find(key_a) == std::string::npos, m);
}

BOOST_AUTO_TEST_CASE(decrypt_errors_say_what_is_wrong_with_the_value) {
  const keyring keys = keyring::parse(keys_json({{"k1", key_a}, {"k2", key_b}}));
  std::string m = error_of(keyring_errc::unknown_key_id, [&] { keys.decrypt(node_value("k9")); });
  BOOST_TEST(m ==
             "keyring: decrypt: the value's key \"k9\" is not configured (keys: \"k1\", \"k2\")");
  m = error_of(keyring_errc::unknown_key_id, [&] { keyring().decrypt(node_value()); });
  BOOST_TEST(m == "keyring: decrypt: the value's key \"k1\" is not configured (keys: none)");
  m = error_of(keyring_errc::no_current_key, [&] { keyring().encrypt("x"); });
  BOOST_TEST(m == "keyring: encrypt: no key is configured");

  // The value of key A under the id of key B: the padding check fails (for this value and
  // these keys; another key passes it by chance for about one value in 256).
  m = error_of(keyring_errc::wrong_key, [&] { keys.decrypt(node_value("k2")); });
  BOOST_TEST(m ==
             "keyring: decrypt: the value does not decrypt with key \"k2\" (padding check "
             "failed: another key, or an altered value)");

  auto with = [&](std::string_view field, boost::json::value v) {
    boost::json::object o = node_value().as_object();
    if (v.is_null()) {
      o.erase(field);
    } else {
      o[field] = std::move(v);
    }
    return boost::json::value(std::move(o));
  };
  const std::vector<std::pair<boost::json::value, std::string>> bad{
      {boost::json::value("text"), "the value is not a JSON object"},
      {with("kid", nullptr), "the value has no \"kid\" (a text)"},
      {with("kid", 1), "the value has no \"kid\" (a text)"},
      {with("v", nullptr), "the value's \"v\" is missing or not 0 (the only version known)"},
      {with("v", 1), "the value's \"v\" is missing or not 0 (the only version known)"},
      {with("__bufchunks_val", nullptr),
       "the value's \"__bufchunks_val\" is missing or not a count"},
      {with("__bufchunks_val", -1), "the value's \"__bufchunks_val\" is missing or not a count"},
      {with("__bufchunks_val", "1"), "the value's \"__bufchunks_val\" is missing or not a count"},
      {with("__bufchunks_val", 2), "the value has no \"__buf1_val\" (text), of 2 chunks"},
      {with("__buf0_val", nullptr), "the value has no \"__buf0_val\" (text), of 1 chunks"},
      {with("__buf0_val", "%%%%"), "\"__buf0_val\" is not base64"},
      {with("__bufchunks_val", 0),
       "the value holds 0 bytes; expected a 16-byte IV and a whole number (at least one) of "
       "16-byte blocks"},
      {with("__buf0_val", "AAECAwQFBgcICQoLDA0ODw=="),
       "the value holds 16 bytes; expected a 16-byte IV and a whole number (at least one) of "
       "16-byte blocks"},
      {with("__buf0_val", boost::json::value(node_value_a.substr(0, 40))),
       "the value holds 30 bytes; expected a 16-byte IV and a whole number (at least one) of "
       "16-byte blocks"},
  };
  for (const auto& entry : bad) {
    m = error_of(keyring_errc::bad_value, [&] { keys.decrypt(entry.first); });
    BOOST_TEST(m == "keyring: decrypt: " + entry.second, boost::json::serialize(entry.first));
  }
  // A value whose last block was altered fails the padding check.
  auto altered = *pgfns::crypto::base64_decode(node_value_a);
  altered.back() ^= std::byte{0x5a};
  error_of(keyring_errc::wrong_key, [&] {
    keys.decrypt(with("__buf0_val", boost::json::value(pgfns::crypto::base64_encode(altered))));
  });
}

BOOST_AUTO_TEST_SUITE_END()

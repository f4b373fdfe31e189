// The keyring: keys from Taskcluster's configuration, AES-256-CBC through OpenSSL's EVP API.
#include <pgfns/keyring.hpp>

#include "crypto/base64.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pgfns {

struct keyring::key_bytes {
  std::array<unsigned char, 32> bytes{};
  key_bytes() = default;
  key_bytes(const key_bytes&) = delete;
  key_bytes& operator=(const key_bytes&) = delete;
  ~key_bytes() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
};

namespace {

constexpr std::size_t iv_size = 16;
constexpr std::size_t block_size = 16;

[[noreturn]] void fail(keyring_errc code, const std::string& message) {
  throw keyring_error(code, message);
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

// What OpenSSL says went wrong (its error queue), for failures that are not the caller's.
std::string openssl_error() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "no OpenSSL error reported";
  std::array<char, 256> text{};
  ERR_error_string_n(e, text.data(), text.size());
  return text.data();
}

struct cipher_ctx_free {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, cipher_ctx_free>;

cipher_ctx new_ctx(const char* what) {
  cipher_ctx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) throw std::runtime_error(std::string("keyring: ") + what + ": " + openssl_error());
  return ctx;
}

int to_int(std::size_t n) {
  if (n > static_cast<std::size_t>(std::numeric_limits<int>::max() - 2 * block_size)) {
    throw std::length_error("keyring: value too large to encrypt (" + std::to_string(n) +
                            " bytes)");
  }
  return static_cast<int>(n);
}

const boost::json::string& text_field(const boost::json::object& o, std::string_view name,
                                      std::size_t index) {
  const auto* v = o.if_contains(name);
  if (v == nullptr || !v->is_string() || v->as_string().empty()) {
    fail(keyring_errc::bad_config, "keyring: key " + std::to_string(index) +
                                       " of the list has no \"" + std::string(name) +
                                       "\" (a non-empty text)");
  }
  return v->as_string();
}

// A non-negative integer (Taskcluster writes 0 and chunk counts as JSON numbers).
std::optional<std::uint64_t> count_of(const boost::json::value& v) {
  if (v.is_uint64()) return v.as_uint64();
  if (v.is_int64() && v.as_int64() >= 0) return static_cast<std::uint64_t>(v.as_int64());
  if (v.is_double()) {
    const double d = v.as_double();
    if (d >= 0 && d <= 1e15 && d == static_cast<double>(static_cast<std::uint64_t>(d))) {
      return static_cast<std::uint64_t>(d);
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view keyring_errc_name(keyring_errc e) noexcept {
  switch (e) {
    case keyring_errc::bad_config:
      return "bad_config";
    case keyring_errc::bad_key:
      return "bad_key";
    case keyring_errc::unknown_algorithm:
      return "unknown_algorithm";
    case keyring_errc::duplicate_key_id:
      return "duplicate_key_id";
    case keyring_errc::no_current_key:
      return "no_current_key";
    case keyring_errc::unknown_key_id:
      return "unknown_key_id";
    case keyring_errc::bad_value:
      return "bad_value";
    case keyring_errc::wrong_key:
      return "wrong_key";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, keyring_errc e) {
  return os << keyring_errc_name(e);
}

keyring_error::keyring_error(keyring_errc code, const std::string& message)
    : std::runtime_error(message), code_(code) {}

keyring::keyring(const boost::json::value& crypto_keys, std::string_view azure_crypto_key) {
  if (!azure_crypto_key.empty()) add("azure", "aes-256", azure_crypto_key);
  if (crypto_keys.is_null()) return;
  if (!crypto_keys.is_array()) {
    fail(keyring_errc::bad_config,
         "keyring: the key list is not a JSON array of {\"id\", \"algo\", \"key\"} objects");
  }
  std::vector<std::string> seen;
  std::size_t index = 0;
  for (const boost::json::value& entry : crypto_keys.as_array()) {
    if (!entry.is_object()) {
      fail(keyring_errc::bad_config,
           "keyring: key " + std::to_string(index) +
               " of the list is not an object {\"id\", \"algo\", \"key\"}");
    }
    const auto& o = entry.as_object();
    const std::string id(text_field(o, "id", index));
    const auto& algo = text_field(o, "algo", index);
    const auto& key = text_field(o, "key", index);
    for (const auto& s : seen) {
      if (s == id)
        fail(keyring_errc::duplicate_key_id,
             "keyring: key id " + quoted(id) + " appears twice in the list");
    }
    seen.push_back(id);
    add(id, algo, key);
    ++index;
  }
}

keyring keyring::parse(std::string_view crypto_keys_json, std::string_view azure_crypto_key) {
  if (crypto_keys_json.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return keyring(boost::json::value(), azure_crypto_key);
  }
  boost::system::error_code ec;
  const boost::json::value keys = boost::json::parse(crypto_keys_json, ec);
  if (ec) {
    // The text may hold keys: say why it fails, not what it says.
    fail(keyring_errc::bad_config,
         "keyring: the key list is not valid JSON (" + ec.message() + ")");
  }
  return keyring(keys, azure_crypto_key);
}

void keyring::add(const std::string& id, std::string_view algo, std::string_view key_base64) {
  if (algo != "aes-256") {
    fail(keyring_errc::unknown_algorithm, "keyring: key " + quoted(id) + " has algo " +
                                              quoted(algo) + "; the only one known is \"aes-256\"");
  }
  auto bytes = crypto::base64_decode(key_base64);
  if (!bytes) fail(keyring_errc::bad_key, "keyring: key " + quoted(id) + " is not base64");
  const std::size_t size = bytes->size();
  auto key = std::make_shared<key_bytes>();
  if (size == key->bytes.size()) {
    for (std::size_t i = 0; i < size; ++i)
      key->bytes[i] = std::to_integer<unsigned char>((*bytes)[i]);
  }
  OPENSSL_cleanse(bytes->data(), bytes->size());
  if (size != key->bytes.size()) {
    fail(keyring_errc::bad_key, "keyring: aes-256 key " + quoted(id) +
                                    " must be 32 bytes (in base64), not " + std::to_string(size));
  }
  keys_.insert_or_assign(id, std::move(key));
  current_ = id;
}

bool keyring::has_key(std::string_view id) const {
  return keys_.find(id) != keys_.end();
}

std::vector<std::string> keyring::key_ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, key] : keys_) ids.push_back(id);
  return ids;
}

boost::json::value keyring::encrypt(std::string_view plaintext) const {
  return encrypt(std::as_bytes(std::span(plaintext.data(), plaintext.size())));
}

boost::json::value keyring::encrypt(std::span<const std::byte> plaintext) const {
  if (current_.empty())
    fail(keyring_errc::no_current_key, "keyring: encrypt: no key is configured");
  const key_bytes& key = *keys_.find(current_)->second;
  const int in_size = to_int(plaintext.size());

  std::vector<unsigned char> out(iv_size + plaintext.size() + block_size);
  if (RAND_bytes(out.data(), static_cast<int>(iv_size)) != 1) {
    throw std::runtime_error("keyring: encrypt: no random IV: " + openssl_error());
  }
  cipher_ctx ctx = new_ctx("encrypt");
  int n = 0;
  int final_n = 0;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.bytes.data(), out.data()) !=
          1 ||
      EVP_EncryptUpdate(ctx.get(), out.data() + iv_size, &n,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), in_size) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + iv_size + n, &final_n) != 1) {
    throw std::runtime_error("keyring: encrypt with key " + quoted(current_) + ": " +
                             openssl_error());
  }
  out.resize(iv_size + static_cast<std::size_t>(n) + static_cast<std::size_t>(final_n));

  boost::json::object o;
  o["kid"] = current_;
  o["v"] = 0;
  o["__bufchunks_val"] = 1;
  o["__buf0_val"] = crypto::base64_encode(std::as_bytes(std::span(out)));
  return o;
}

std::vector<std::byte> keyring::decrypt(const boost::json::value& value) const {
  const auto* o = value.if_object();
  if (o == nullptr)
    fail(keyring_errc::bad_value, "keyring: decrypt: the value is not a JSON object");
  const auto* kid = o->if_contains("kid");
  if (kid == nullptr || !kid->is_string()) {
    fail(keyring_errc::bad_value, "keyring: decrypt: the value has no \"kid\" (a text)");
  }
  const std::string_view id = kid->as_string();
  const auto* v = o->if_contains("v");
  if (v == nullptr || count_of(*v) != 0u) {
    fail(keyring_errc::bad_value,
         "keyring: decrypt: the value's \"v\" is missing or not 0 (the only version known)");
  }
  const auto* chunks_v = o->if_contains("__bufchunks_val");
  const auto chunks = chunks_v == nullptr ? std::nullopt : count_of(*chunks_v);
  if (!chunks) {
    fail(keyring_errc::bad_value,
         "keyring: decrypt: the value's \"__bufchunks_val\" is missing or not a count");
  }
  const auto key_it = keys_.find(id);
  if (key_it == keys_.end()) {
    fail(
        keyring_errc::unknown_key_id, "keyring: decrypt: the value's key " + quoted(id) +
                                          " is not configured (keys: " +
                                          [&] {
                                            std::string ids;
                                            for (const auto& [k, unused] : keys_) {
                                              ids += ids.empty() ? "" : ", ";
                                              ids += quoted(k);
                                            }
                                            return ids.empty() ? std::string("none") : ids;
                                          }() +
                                          ")");
  }

  std::vector<unsigned char> in;
  for (std::uint64_t i = 0; i < *chunks; ++i) {
    const std::string name = "__buf" + std::to_string(i) + "_val";
    const auto* chunk = o->if_contains(name);
    if (chunk == nullptr || !chunk->is_string()) {
      fail(keyring_errc::bad_value, "keyring: decrypt: the value has no \"" + name +
                                        "\" (text), "
                                        "of " +
                                        std::to_string(*chunks) + " chunks");
    }
    const auto bytes = crypto::base64_decode(chunk->as_string());
    if (!bytes) fail(keyring_errc::bad_value, "keyring: decrypt: \"" + name + "\" is not base64");
    for (std::byte b : *bytes) in.push_back(std::to_integer<unsigned char>(b));
  }
  if (in.size() < iv_size + block_size || (in.size() - iv_size) % block_size != 0) {
    fail(keyring_errc::bad_value,
         "keyring: decrypt: the value holds " + std::to_string(in.size()) +
             " bytes; expected a 16-byte IV and a whole number (at least one) of 16-byte blocks");
  }

  const int in_size = to_int(in.size() - iv_size);
  std::vector<unsigned char> out(in.size());
  cipher_ctx ctx = new_ctx("decrypt");
  int n = 0;
  int final_n = 0;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key_it->second->bytes.data(),
                         in.data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), out.data(), &n, in.data() + iv_size, in_size) != 1) {
    throw std::runtime_error("keyring: decrypt with key " + quoted(id) + ": " + openssl_error());
  }
  if (EVP_DecryptFinal_ex(ctx.get(), out.data() + n, &final_n) != 1) {
    ERR_clear_error();
    OPENSSL_cleanse(out.data(), out.size());
    fail(keyring_errc::wrong_key, "keyring: decrypt: the value does not decrypt with key " +
                                      quoted(id) +
                                      " (padding check failed: another key, or an altered value)");
  }
  const std::size_t size = static_cast<std::size_t>(n) + static_cast<std::size_t>(final_n);
  std::vector<std::byte> plaintext(size);
  for (std::size_t i = 0; i < size; ++i) plaintext[i] = static_cast<std::byte>(out[i]);
  OPENSSL_cleanse(out.data(), out.size());
  return plaintext;
}

std::string keyring::decrypt_to_string(const boost::json::value& value) const {
  const std::vector<std::byte> bytes = decrypt(value);
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

}  // namespace pgfns

// keyring: column encryption compatible with Taskcluster's lib-postgres (db.encrypt/decrypt).
//
// Keys are configured as Taskcluster configures them: a JSON list
//   [{"id": "k1", "algo": "aes-256", "key": "<base64 of 32 bytes>"}, ...]
// whose last entry is the current key (the one encrypt uses), and optionally an
// `azureCryptoKey` (base64 of 32 bytes), the key with id "azure". A list entry with id "azure"
// replaces azureCryptoKey, as in Taskcluster; any other id may appear once only.
//
// encrypt gives a JSON object to store in a jsonb column:
//   {"kid": "<current key id>", "v": 0, "__bufchunks_val": 1,
//    "__buf0_val": base64(iv (16 random bytes) || AES-256-CBC ciphertext, PKCS#7 padding)}
// decrypt accepts that, with any configured key id and any number of "__buf<i>_val" chunks
// (their bytes are concatenated in order), as values written by Taskcluster are.
//
//   auto keys = pgfns::keyring::parse(R"([{"id": "2026-01", "algo": "aes-256", "key": "..."}])");
//   boost::json::value secret = keys.encrypt(std::as_bytes(std::span(text)));
//   std::vector<std::byte> back = keys.decrypt(secret);
//
// Errors throw keyring_error; its message names the key id or the field at fault, never key
// material or plaintext.
#pragma once

#include <boost/json/fwd.hpp>

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns {

enum class keyring_errc {
  bad_config = 1,     // the key list is not a list of {"id", "algo", "key"} objects of text
  bad_key,            // a key is not base64 of 32 bytes
  unknown_algorithm,  // an "algo" other than "aes-256"
  duplicate_key_id,   // two keys of the list with the same id
  no_current_key,     // encrypt with no key configured
  unknown_key_id,     // decrypt of a value whose "kid" is not a configured key
  bad_value,          // decrypt of a value that is not in the format above
  wrong_key,          // the padding check failed: not encrypted with this key, or altered
};

// The short name of a code ("unknown_key_id").
std::string_view keyring_errc_name(keyring_errc e) noexcept;
// Prints keyring_errc_name(e).
std::ostream& operator<<(std::ostream& os, keyring_errc e);

class keyring_error : public std::runtime_error {
 public:
  keyring_error(keyring_errc code, const std::string& message);
  keyring_errc code() const noexcept { return code_; }

 private:
  keyring_errc code_;
};

class keyring {
 public:
  // `crypto_keys`: the key list (an array; null or an empty array for none). `azure_crypto_key`:
  // base64 of the "azure" key, or empty for none.
  explicit keyring(const boost::json::value& crypto_keys, std::string_view azure_crypto_key = {});
  // The same from the key list as JSON text (empty for none), as a service's configuration
  // holds it.
  static keyring parse(std::string_view crypto_keys_json, std::string_view azure_crypto_key = {});
  // A keyring with no key: encrypt refuses, decrypt knows no key id.
  keyring() = default;
  // Copies share the keys, whose bytes are overwritten when the last copy ends.

  // The id encrypt uses ("" when there is no key).
  const std::string& current_key_id() const noexcept { return current_; }
  bool has_key(std::string_view id) const;
  // Every configured id, sorted.
  std::vector<std::string> key_ids() const;

  // Encrypts with the current key and a fresh random IV. Returns the object described above.
  boost::json::value encrypt(std::span<const std::byte> plaintext) const;
  boost::json::value encrypt(std::string_view plaintext) const;
  // Decrypts a value made by encrypt (here or by Taskcluster) with the key its "kid" names.
  std::vector<std::byte> decrypt(const boost::json::value& value) const;
  // decrypt, as text (the bytes unchanged; no UTF-8 check).
  std::string decrypt_to_string(const boost::json::value& value) const;

 private:
  struct key_bytes;
  void add(const std::string& id, std::string_view algo, std::string_view key_base64);

  std::map<std::string, std::shared_ptr<const key_bytes>, std::less<>> keys_;
  std::string current_;
};

}  // namespace pgfns

// Random passwords for the redaction property tests, written in every shape of connection
// string libpq accepts (and some it refuses), and the check that a text shows no piece of one.
//
// A password mixes every character that URLs or keyword strings treat apart
// (`@ : / % ? # [ ] ' " \` and space) with letters and digits, and holds a marker letter (one of
// `password_markers`) at every third byte: so every 3-byte piece of it holds a marker, and no
// message or address holds such a piece by chance.
#pragma once

#include "role_urls.hpp"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::test {

inline constexpr std::string_view password_markers = "QJZVWKY";

class random_passwords {
 public:
  explicit random_passwords(std::uint32_t seed) : gen_(seed) {}
  // A password of `min_size` to `max_size` bytes.
  std::string next(std::size_t min_size = 6, std::size_t max_size = 24);
  std::mt19937& generator() noexcept { return gen_; }

 private:
  std::mt19937 gen_;
};

// A connection string holding a password, and the password as the string writes it.
struct password_shape {
  std::string label;     // e.g. "url, raw password"
  std::string conninfo;  // the whole string
  std::string written;   // the password as it appears in `conninfo` (encoded, quoted, escaped)
};

// `password` for `user` at `a` (a TCP host) in each shape: URLs (postgresql:// and postgres://)
// with the password raw, fully and partly percent-encoded, with several hosts, as a `password`
// query parameter (encoded and raw); keyword strings with the password quoted, escaped and raw.
// Partly encoded shapes draw from `gen`.
std::vector<password_shape> password_shapes(const std::string& password, const server_address& a,
                                            const std::string& user, std::mt19937& gen);

// The first 3-byte piece of `password` that `text` shows, or of `written` or its percent-decoded
// form when the piece holds a marker (pieces such as "%40" or "://" are in many texts), or ""
// when there is none.
std::string shown_piece(std::string_view text, std::string_view password, std::string_view written);

// Each line of `text` (split at '\n'; a '\r' anywhere counts as a line break too).
std::vector<std::string> lines_of(std::string_view text);

// `s` with control characters and non-ASCII bytes as \xNN, for failure messages.
std::string printable(std::string_view s);

}  // namespace pgfns::test

// A position in PostgreSQL's write-ahead log, as pg_current_wal_lsn() and
// pg_last_wal_replay_lsn() print it: two hexadecimal halves, "16/B374D848". Positions compare
// as the 64-bit numbers they stand for.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pgfns::detail {

struct lsn {
  std::uint64_t value = 0;
  friend constexpr auto operator<=>(lsn, lsn) noexcept = default;
};

// "X/Y" with X and Y of 1 to 8 hexadecimal digits each (either case); nullopt for anything else
// (empty text, a missing or repeated '/', a sign, spaces, more than 8 digits in a half).
std::optional<lsn> parse_lsn(std::string_view text) noexcept;

// As PostgreSQL prints it: upper-case hexadecimal without leading zeros, "0/0" for zero.
std::string to_string(lsn position);

}  // namespace pgfns::detail

// What one call may ask beyond the database's options: where its read may be served.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pgfns {

// A position in the primary's write-ahead log, taken after some writes completed
// (database::async_read_position): a read given it is served only by a server that holds those
// writes. Its text ("16/B374D848", as PostgreSQL prints positions) may travel between processes,
// for example to a service's client and back with its next request.
class read_position {
 public:
  read_position() = default;
  explicit read_position(std::uint64_t value) noexcept : value_(value) {}

  std::uint64_t value() const noexcept { return value_; }
  std::string to_string() const;
  // The text to_string() gives; nullopt for anything else (the text is never trusted blindly:
  // it may come from a client).
  static std::optional<read_position> parse(std::string_view text) noexcept;

  friend constexpr auto operator<=>(read_position, read_position) noexcept = default;

 private:
  std::uint64_t value_ = 0;
};

// Every member has a default initializer, so that `{.primary = true}` names only what it sets
// (without one, GCC's -Wmissing-field-initializers flags the others).
struct call_options {
  // Read-your-writes for this call (nullopt: database_options::read_your_writes): a read sees
  // every write that completed on this database before it was issued.
  std::optional<bool> read_your_writes = std::nullopt;
  // A read sees every write completed before this position was taken (on any database object,
  // in any process, as long as they share the primary).
  std::optional<read_position> after = std::nullopt;
  // The primary serves this read, whatever the standbys' state.
  bool primary = false;
};

}  // namespace pgfns

// The C++ types of typed bindings (pgfns generate) for the PostgreSQL types that have no exact
// standard C++ counterpart, and the aliases used for the others. Every value crosses the wire
// in PostgreSQL's text format (pgfns/text_format.hpp converts).
//
//   SQL type                               C++ type
//   smallint, integer, bigint              std::int16_t, std::int32_t, std::int64_t
//   boolean                                bool
//   real, double precision                 float, double
//   text, varchar(n), char(n), name        std::string
//   uuid                                   pgfns::uuid
//   numeric(p,s)                           pgfns::numeric (the exact decimal text)
//   timestamptz                            pgfns::timestamptz (UTC, microseconds)
//   timestamp                              pgfns::timestamp (no time zone, microseconds)
//   date                                   pgfns::date
//   interval                               pgfns::interval (months, days, microseconds)
//   json, jsonb                            boost::json::value
//   bytea                                  pgfns::bytea
//   T[]                                    std::vector<T>
//   an enum type (create type .. as enum)  a generated enum class
//
// Infinite timestamps and dates ('infinity', '-infinity') are the largest and smallest values
// of their C++ type, both ways.
#pragma once

#include <array>
#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns {

// A UUID as 16 bytes. parse() takes PostgreSQL's input forms (hyphens optional, upper or lower
// case, braces allowed) and throws std::invalid_argument otherwise; str() gives the canonical
// lowercase form "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11".
struct uuid {
  std::array<std::uint8_t, 16> bytes{};

  static uuid parse(std::string_view text);
  std::string str() const;
  friend auto operator<=>(const uuid&, const uuid&) = default;
};

// An exact decimal: the text PostgreSQL prints for a numeric ("12.50", "-0.001", "NaN",
// "Infinity", "-Infinity"), kept as written so that no digit is lost. The constructor refuses
// (std::invalid_argument) a text that is not such a number; equality compares the text, so
// "1.0" != "1.00" (as PostgreSQL keeps the scale).
class numeric {
 public:
  numeric() = default;  // "0"
  explicit numeric(std::string_view text);
  explicit numeric(std::int64_t v);

  const std::string& str() const noexcept { return text_; }
  // The nearest double (for display or arithmetic that may round).
  double to_double() const;

  friend bool operator==(const numeric&, const numeric&) = default;

 private:
  std::string text_ = "0";
};

// PostgreSQL's interval, exactly as it stores it: months, days and microseconds, each with its
// own sign (a month is not a fixed number of days, nor a day of hours, across DST).
struct interval {
  std::int32_t months = 0;
  std::int32_t days = 0;
  std::int64_t microseconds = 0;

  friend bool operator==(const interval&, const interval&) = default;
};

using timestamptz = std::chrono::sys_time<std::chrono::microseconds>;
using timestamp = std::chrono::local_time<std::chrono::microseconds>;
using date = std::chrono::sys_days;
using bytea = std::vector<std::byte>;

}  // namespace pgfns

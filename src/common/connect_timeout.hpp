// The `connect_timeout` a libpq connection string names, read as libpq reads it, so that a
// connection pgfns makes without libpq's blocking connect still honours it.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace pgfns::detail {

// A `connect_timeout` value: whole seconds (surrounding spaces allowed); 0 or less means no
// bound and is returned as 0. nullopt when `value` is empty or not a whole number.
std::optional<std::chrono::milliseconds> connect_timeout_value(std::string_view value);

// The `connect_timeout` of `conninfo` (a URL or keyword/value string), nullopt when it names
// none or does not parse.
std::optional<std::chrono::milliseconds> connect_timeout_of(std::string_view conninfo);

}  // namespace pgfns::detail

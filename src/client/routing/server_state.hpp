// What pgfns knows of one server at a moment: filled by the periodic probe (role, version,
// position) and by its pool (down, calls in flight). Plain data for the routing rules.
#pragma once

#include "client/routing/lsn.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

namespace pgfns::detail {

// From pg_is_in_recovery(): false is a primary, true a standby. unknown until the first probe.
enum class server_role { unknown, primary, standby };
std::string_view to_string(server_role r) noexcept;

struct server_state {
  bool down = false;                        // its pool cannot reach it
  server_role role = server_role::unknown;  // at the last probe
  int version = -1;                         // tcversion at the last probe; -1: not known
  std::optional<lsn> position;              // replay position (a standby's), current (a primary's)
  std::chrono::steady_clock::time_point sampled_at{};   // when the last probe answered
  std::chrono::steady_clock::time_point advanced_at{};  // when its position last moved
  std::size_t in_flight = 0;                            // calls sent or waiting on its pool
};

}  // namespace pgfns::detail

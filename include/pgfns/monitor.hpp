// Monitoring: what a database reports about its calls and its pools.
#pragma once

#include <pgfns/schema.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

namespace pgfns {

enum class pool_role { read, write };
std::string_view to_string(pool_role r) noexcept;

// The counts of one pool at one moment. Readable any time through database::stats().
struct pool_stats {
  std::size_t total = 0;       // connections open or being opened
  std::size_t idle = 0;        // open, nothing in flight
  std::size_t busy = 0;        // open, at least one call in flight
  std::size_t connecting = 0;  // being opened
  std::size_t waiting = 0;     // calls queued for a connection
  std::size_t in_flight = 0;   // calls sent and not yet answered, over all connections
  std::uint64_t calls = 0;     // calls answered by this pool since start (successes and errors)
  std::uint64_t errors = 0;    // of which failed
  bool available = true;       // false while the server cannot be reached
};

// One finished call (successful or not; refused ones included, with no pool).
struct call_event {
  std::string_view method;
  method_mode mode = method_mode::read;
  bool pooled = false;  // false when the call was refused before reaching a pool
  pool_role pool = pool_role::read;
  std::chrono::nanoseconds duration{};
  boost::system::error_code ec;  // success, errc, a SQLSTATE, or operation_aborted
  std::string_view sqlstate;     // "" unless the server reported one
  int attempts = 0;              // executions sent to a server (2 when a read was retried)
};

// Hooks run on the database's executor; keep them short (they run on the call path).
struct monitor_hooks {
  std::function<void(const call_event&)> on_call;
  std::function<void(pool_role, const pool_stats&)> on_pool_stats;
  std::chrono::milliseconds stats_interval{10000};  // how often on_pool_stats runs
};

}  // namespace pgfns

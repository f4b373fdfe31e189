// Monitoring: what a database reports about its calls and its pools.
#pragma once

#include <pgfns/schema.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// What the routing knows of one server (database::servers()).
struct server_stats {
  std::string server;                // host:port (never a password)
  pool_role pool = pool_role::read;  // write: the write server; read: a read server
  std::string role;  // "primary", "standby" (pg_is_in_recovery() at the last probe), "unknown"
  int version = -1;  // tcversion at the last probe; -1: not known yet
  // For a standby: an upper bound of how far it lags the primary, as measured by the probes;
  // nullopt when unknown (not probed yet, or further behind than pgfns keeps history of).
  std::optional<std::chrono::milliseconds> lag;
  bool serves_reads = false;  // would serve a read of the schema's latest version now
  std::string skipped;        // why not, when it is a read server that would not ("" otherwise)
  pool_stats pool_counts;     // its pool's counts
};

// The routing of one read: the server chosen, and why each read server passed over was.
struct route_event {
  std::string_view method;
  std::string_view server;  // the server chosen (host:port); "" when the call waits
  bool primary = false;     // the write server serves it
  bool waiting = false;     // it waits for a standby to replay the caller's writes
  struct skip {
    std::string_view server;
    std::string_view why;  // "down", "lags more than max_replica_lag", ...
  };
  std::vector<skip> skipped;
};

// Hooks run on the database's executor; keep them short (they run on the call path).
struct monitor_hooks {
  std::function<void(const call_event&)> on_call;
  std::function<void(pool_role, const pool_stats&)> on_pool_stats;
  // Each routing of a read among read servers (not run when reads all go to the write server).
  std::function<void(const route_event&)> on_route;
  std::chrono::milliseconds stats_interval{10000};  // how often on_pool_stats runs
};

}  // namespace pgfns

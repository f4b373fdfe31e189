// The one owner of server choice for a database: the write server and the read servers, what
// the probes last said of each (role, position, version), the write server's positions over
// time, and the choice of server for each read (read_choice.hpp). No I/O: the database feeds it
// probe answers and its pools' health and load, and asks it where a read goes.
#pragma once

#include "client/routing/primary_history.hpp"
#include "client/routing/read_choice.hpp"
#include "client/routing/server_state.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace pgfns::detail {

struct routing_options {
  std::chrono::milliseconds max_replica_lag{5000};  // 0: no bound
  std::chrono::milliseconds probe_interval{500};
  bool read_fallback = true;
};

// What one probe of one server answered.
struct probe_answer {
  server_role role = server_role::unknown;
  std::optional<lsn> position;  // replay position of a standby, flush position of a primary
  std::optional<lsn> inserted;  // a primary's insert position
  int version = -1;             // tcversion (0: no tcversion table)
};

class router {
 public:
  using clock = std::chrono::steady_clock;

  router(std::size_t read_servers, routing_options options);

  std::size_t read_servers() const noexcept { return reads_.size(); }
  const server_state& write_server() const noexcept { return write_; }
  const server_state& read_server(std::size_t i) const noexcept { return reads_[i]; }
  const primary_history& primary() const noexcept { return history_; }

  // A probe's answer. The write server's position, while it is a primary, joins the history.
  void write_server_probed(const probe_answer& a, clock::time_point at);
  void read_server_probed(std::size_t i, const probe_answer& a, clock::time_point at);
  // Health and load, from the pools, as they are when a call asks.
  void set_write_down(bool down) noexcept { write_.down = down; }
  void set_read_load(std::size_t i, bool down, std::size_t in_flight) noexcept;

  // A read of a method last defined in `method_version`, under the database's options (the
  // caller adds read-your-writes positions).
  read_request request(int method_version) const noexcept;
  // Where `r` goes at `now`.
  read_choice choose(const read_request& r, clock::time_point now) const noexcept;
  // Why read server `i` would not serve `r` (nullopt: it would).
  std::optional<skip_reason> why_skipped(std::size_t i, const read_request& r,
                                         clock::time_point now) const noexcept;
  // Whether some standby, behind only on `r`'s position and keeping up (two probe intervals),
  // is worth waiting for (may_catch_up).
  bool worth_waiting(const read_request& r, clock::time_point now) const noexcept;
  // The read server's lag bound at `now` (staleness()), nullopt when unknown.
  std::optional<clock::duration> lag(std::size_t i, clock::time_point now) const noexcept;

 private:
  routing_view view(clock::time_point now) const noexcept;

  routing_options options_;
  server_state write_;
  std::vector<server_state> reads_;
  primary_history history_;
};

}  // namespace pgfns::detail

// Opening the admin connection and keeping concurrent upgraders apart.
#pragma once

#include "admin/admin_session.hpp"

#include <pgfns/upgrade.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace pgfns::detail {

// Connects; a failure becomes upgrade_error (the message names the redacted URL).
std::unique_ptr<admin_session> open_admin(const std::string& conninfo);

// Reports a progress_event::kind::note when the caller asked for progress.
void note(const upgrade_options& options, std::string text);

// "3, 7, 12"
std::string join_versions(const std::vector<int>& versions);

// Runs `fn`, turning a server error into upgrade_error("<doing> failed: ...").
template <class Fn>
auto guard_sql(const std::string& doing, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const sql_error& e) {
    throw upgrade_error(0, e.info().sqlstate, doing + " failed: " + e.what());
  }
}

// The session-level advisory lock every pgfns upgrade and downgrade of a database holds from
// start to end. Waits up to `timeout` for another holder, then throws upgrade_error (55P03).
class upgrade_lock {
 public:
  upgrade_lock(admin_session& db, std::chrono::milliseconds timeout);
  upgrade_lock(const upgrade_lock&) = delete;
  upgrade_lock& operator=(const upgrade_lock&) = delete;
  ~upgrade_lock();

 private:
  admin_session& db_;
};

}  // namespace pgfns::detail

// Opening the admin connection and keeping concurrent upgraders apart.
#pragma once

#include "admin/admin_session.hpp"

#include <pgfns/upgrade.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace pgfns::detail {

// Connects within `limits`; a failure becomes upgrade_error (the message names the redacted
// URL). `application_name` ("pgfns upgrade", ...) names the session in pg_stat_activity
// unless the URL names one.
std::unique_ptr<admin_session> open_admin(const std::string& conninfo, const admin_timeouts& limits,
                                          const std::string& application_name);

// The application_name of the sessions that upgrade and downgrade: a holder of the upgrade
// lock with one of these names is another upgrade or downgrade.
inline constexpr const char* upgrade_application = "pgfns upgrade";
inline constexpr const char* downgrade_application = "pgfns downgrade";

// Reports a progress_event::kind::note when the caller asked for progress.
void note(const upgrade_options& options, std::string text);

// "3, 7, 12"
std::string join_versions(const std::vector<int>& versions);

// Runs `fn`, turning a server error into upgrade_error("<doing> failed: ...") and a statement
// the server did not answer in time into upgrade_error("<doing>: no answer from the server
// within N s; the connection was closed ...").
template <class Fn>
auto guard_sql(const std::string& doing, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const no_answer_error& e) {
    throw upgrade_error(0, "", doing + ": " + e.what());
  } catch (const sql_error& e) {
    throw upgrade_error(0, e.info().sqlstate, doing + " failed: " + e.what());
  }
}

// The session-level advisory lock every pgfns upgrade and downgrade of a database holds from
// start to end. Waits up to `timeout` for another holder, then throws upgrade_error (55P03)
// naming the session that holds it (pid, user, application_name, since when): "another
// upgrade or downgrade" only when that session is one.
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

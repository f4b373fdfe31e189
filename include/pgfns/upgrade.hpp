// Moving a database between schema versions.
//
// Every function here is BLOCKING: it runs over one admin connection with blocking libpq
// calls and returns when the work is done (an upgrade can take minutes when online
// migrations run). Call them from the `pgfns` CLI, a deploy job or a worker thread, never from
// a service's I/O executor. Connecting and each statement are bounded (upgrade_options::
// timeouts), so a server that stops answering ends the call with upgrade_error.
//
// Each version is applied (or undone) in its own transaction: a failing version leaves the
// database exactly as the previous version left it. A session-level advisory lock keeps
// concurrent upgraders and downgraders of one database apart (the second waits up to
// `lock_timeout`, then finds the work done or fails); the `tcversion` row lock guards against
// tools that do not take the advisory lock.
#pragma once

#include <pgfns/admin_timeouts.hpp>
#include <pgfns/migration_plan.hpp>
#include <pgfns/schema.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgfns {

// The key of the session-level advisory lock (`pg_advisory_lock`) an upgrade or downgrade
// holds on its database from start to end; visible in pg_locks as classid 112, objid
// 1633865331 while one runs.
inline constexpr long long upgrade_lock_key = 482670202483;

// One line of progress. `elapsed` is the time the step took.
struct progress_event {
  enum class kind {
    upgraded,      // `version` applied
    downgraded,    // `version` undone (the database is now at version - 1)
    online_batch,  // an online migration/downgrade of `version` is under way: `items` so far
    online_done,   // that online migration/downgrade finished: `items` in total
    note,          // anything else worth saying (`text`)
  };
  kind what = kind::note;
  int version = 0;
  std::string text;  // the version's description for (up|down)graded, the operation otherwise
  std::chrono::nanoseconds elapsed{};
  std::int64_t items = 0;
};

// A moment of an online migration or downgrade, for whoever watches one in small steps (a
// test of the migration: pgfns/testing.hpp's version_test).
struct online_checkpoint {
  enum class stage {
    before,  // the version's script is committed; no batch has run yet
    during,  // after each committed batch
    after,   // complete: the online functions are dropped
  };
  stage at = stage::before;
  int version = 0;           // N of online_migration_vN / online_downgrade_vN
  bool downgrade = false;    // online_downgrade_vN
  std::string operation;     // "online_migration_v59"
  std::int64_t batches = 0;  // batches committed so far
  std::int64_t items = 0;    // items those batches reported
  // The state the last batch returned, as JSON text; before the first: the saved one or {}.
  std::string state;
};

// One line for a terminal, e.g. "version 12 upgraded in 35 ms: add tasks.project_id".
std::string to_string(const progress_event& event);

struct upgrade_options {
  std::string admin_url;  // libpq URL or keyword string of a role allowed to change the schema
  std::string prefix;     // service users are `<prefix>_<service>`; must match ^[a-z_]+$
  // upgrade(): defaults to the schema's latest version. downgrade(): required.
  std::optional<int> target;
  bool create_users = false;  // upgrade(): create missing service users (LOGIN, no privileges)
  bool dry_run = false;       // only compute the plan; change nothing
  bool skip_checks = false;   // upgrade(): skip the grant and table checks at the latest version
  std::chrono::milliseconds lock_timeout{std::chrono::minutes(5)};  // wait for another upgrader
  // Connecting (10 s) and each statement's answer (1 hour, so that long migration scripts
  // run); see admin_timeouts.
  admin_timeouts timeouts{.connect = std::chrono::seconds(10), .answer = std::chrono::hours(1)};
  std::function<void(const progress_event&)> progress;  // may be empty
  // Online migrations and downgrades: 0 adapts the batch size so that a batch takes about a
  // second; N > 0 asks every batch for exactly N items (tests run them in small steps).
  std::int64_t online_batch_size = 0;
  // May be empty. Called on the calling thread with no transaction open (so it may read and
  // write the database through other connections): before an online operation's first batch,
  // after each committed batch and after it completed. What it throws ends the upgrade or
  // downgrade there, as it is: the batches committed stay, and a rerun resumes after them.
  std::function<void(const online_checkpoint&)> on_online_checkpoint;
};

// Why an upgrade or downgrade stopped. what() is one readable paragraph naming the version
// and the SQL error; it never contains a password.
class upgrade_error : public std::runtime_error {
 public:
  upgrade_error(int version, std::string sqlstate, std::string message,
                std::vector<std::string> problems = {});

  int version() const noexcept { return version_; }  // 0 when no single version is at fault
  const std::string& sqlstate() const noexcept { return sqlstate_; }  // empty if not from SQL
  const std::string& message() const noexcept { return message_; }
  // Each problem found by the checks or the history comparison, one per entry.
  const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
  int version_;
  std::string sqlstate_;
  std::string message_;
  std::vector<std::string> problems_;
};

// Upgrades to options.target (default: latest). Returns what was done (or, with dry_run,
// what would be done). Throws upgrade_error.
migration_plan upgrade(const schema& s, const upgrade_options& options);
// Downgrades to options.target (required). Throws upgrade_error, e.g. for a database newer than
// the schema's latest version.
migration_plan downgrade(const schema& s, const upgrade_options& options);

// The plans upgrade()/downgrade() would carry out now; read-only.
migration_plan plan_upgrade(const schema& s, const upgrade_options& options);
migration_plan plan_downgrade(const schema& s, const upgrade_options& options);

// The database's version: 0 when it has no `tcversion` table. Throws upgrade_error, also when
// the server does not answer within `timeouts`.
int db_version(const std::string& admin_url, const admin_timeouts& timeouts = {});

}  // namespace pgfns

// Runs an online migration or downgrade (`online_migration_v<N>_batch` / `_is_complete`, or
// the `online_downgrade_v<N>_` pair) to completion.
#pragma once

#include "admin/admin_session.hpp"

#include <pgfns/upgrade.hpp>

#include <chrono>
#include <string>

namespace pgfns::detail {

struct online_target {
  std::string operation;   // "online_migration_v59"
  int version = 0;         // N
  int db_version = 0;      // the version the database is at while it runs
  bool downgrade = false;  // an online_downgrade_v<N> pair
};

// The online operation the database at `db_version` may have pending in `direction`.
online_target online_migration_at(int db_version);
online_target online_downgrade_from(int undone_version);

// Whether `<operation>_batch` exists (read-only).
bool online_pending(admin_session& db, const online_target& target);

// When pending: calls the batch function, each call in its own transaction that also locks
// tcversion at `db_version` and saves the returned state, so an interrupted run resumes from
// the last committed batch. The batch size is o.online_batch_size, or when that is 0 adapts so
// a batch takes about `batch_time`. o.on_online_checkpoint sees each stage. When
// a batch reports nothing done, `_is_complete()` decides: finished, or another pass from `{}`.
// Finally drops both functions. Returns the number of items processed (0 when not pending).
long long run_online(admin_session& db, const online_target& target, const upgrade_options& o,
                     std::chrono::milliseconds batch_time = std::chrono::seconds(1));

}  // namespace pgfns::detail

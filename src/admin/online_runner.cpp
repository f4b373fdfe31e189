#include "admin/online_runner.hpp"

#include "admin/bookkeeping.hpp"
#include "admin/version_step.hpp"
#include "common/sql_text.hpp"

#include <algorithm>
#include <cmath>

namespace pgfns::detail {
namespace {

using clock = std::chrono::steady_clock;

struct batch_result {
  long long count = 0;
  std::string state;
};

batch_result run_batch(admin_session& db, const online_target& t, long long size,
                       const std::string& state, long long items_before) {
  admin_transaction tx(db);
  lock_version_row(db, t.db_version, t.version);
  const auto rows =
      db.query("select count, state::text from " + t.operation + "_batch($1::integer, $2::jsonb)",
               {std::to_string(size), state});
  if (rows.size() != 1) {
    throw upgrade_error(t.version, "",
                        t.operation + "_batch returned " + std::to_string(rows.size()) +
                            " rows; it must return exactly one (count, state)");
  }
  batch_result r;
  r.count = rows[0][0] ? std::stoll(*rows[0][0]) : 0;
  r.state = rows[0][1].value_or("{}");
  save_online_state(db, t.operation, r.state, items_before + r.count);
  tx.commit();
  return r;
}

bool is_complete(admin_session& db, const online_target& t) {
  return db.scalar("select " + t.operation + "_is_complete()") == "t";
}

// Aims the next batch at `batch_time`, from the rate of the last one; grows at most 8-fold
// per batch so one fast batch over cached rows does not ask for a huge one.
long long next_batch_size(long long size, long long count, clock::duration took,
                          std::chrono::milliseconds batch_time) {
  if (count < size) return size;  // a short batch says nothing about speed
  const double seconds = std::max(std::chrono::duration<double>(took).count(), 1e-4);
  const double ideal =
      static_cast<double>(count) / seconds * std::chrono::duration<double>(batch_time).count();
  return std::clamp(static_cast<long long>(std::llround(ideal)), 1LL, size * 8);
}

}  // namespace

online_target online_migration_at(int db_version) {
  return {online_operation(false, db_version), db_version, db_version, false};
}

online_target online_downgrade_from(int undone_version) {
  return {online_operation(true, undone_version), undone_version, undone_version - 1, true};
}

bool online_pending(admin_session& db, const online_target& target) {
  return db.scalar("select exists (select from pg_proc where proname = $1)",
                   {target.operation + "_batch"}) == "t";
}

long long run_online(admin_session& db, const online_target& t, const upgrade_options& o,
                     std::chrono::milliseconds batch_time) {
  if (!online_pending(db, t)) return 0;
  if (o.online_batch_size < 0) {
    throw upgrade_error(t.version, "",
                        "online_batch_size is " + std::to_string(o.online_batch_size) +
                            "; it must be 0 (adapt) or a positive number of items per batch");
  }
  const auto started = clock::now();
  auto next_report = started + std::chrono::seconds(1);
  const auto report = [&](progress_event::kind what, long long items) {
    if (o.progress) o.progress({what, t.version, t.operation, clock::now() - started, items});
  };
  online_checkpoint seen;
  seen.version = t.version;
  seen.downgrade = t.downgrade;
  seen.operation = t.operation;
  const auto checkpoint = [&](online_checkpoint::stage at) {
    seen.at = at;
    if (o.on_online_checkpoint) o.on_online_checkpoint(seen);
  };
  try {
    std::string state = load_online_state(db, t.operation).value_or("{}");
    seen.state = state;
    checkpoint(online_checkpoint::stage::before);
    long long items = 0;
    long long size = o.online_batch_size > 0 ? o.online_batch_size : 1;
    while (!is_complete(db, t)) {
      const std::string pass_start = state;
      bool progressed = false;
      while (true) {
        const auto t0 = clock::now();
        const auto r = run_batch(db, t, size, state, items);
        state = r.state;
        items += r.count;
        seen.batches += 1;
        seen.items = items;
        seen.state = state;
        checkpoint(online_checkpoint::stage::during);
        if (r.count == 0) break;
        progressed = true;
        if (o.online_batch_size == 0) {
          size = next_batch_size(size, r.count, clock::now() - t0, batch_time);
        }
        if (clock::now() >= next_report) {
          report(progress_event::kind::online_batch, items);
          next_report = clock::now() + std::chrono::seconds(1);
        }
      }
      if (!progressed && pass_start == "{}") {
        throw upgrade_error(t.version, "",
                            t.operation + "_batch found nothing to do from state {} but " +
                                t.operation + "_is_complete() is still false");
      }
      state = "{}";  // another pass from the start, as the cursor may have skipped rows
    }
    admin_transaction tx(db);
    db.exec("drop function " + t.operation + "_batch(integer, jsonb); drop function " +
            t.operation + "_is_complete()");
    forget_online_state(db, t.operation);
    tx.commit();
    report(progress_event::kind::online_done, items);
    checkpoint(online_checkpoint::stage::after);
    return items;
  } catch (const sql_error& e) {
    fail_step(t.version, t.operation, e);
  }
}

}  // namespace pgfns::detail

// One version's migration, up and down, with checks at each stage (Taskcluster's dbVersionTest).
#include <pgfns/testing.hpp>

#include <stdexcept>

namespace pgfns::testing {
namespace {

struct stage_checks {
  const std::function<void(test_database&)>& start;
  const std::function<void(test_database&, const online_checkpoint&)>& concurrent;
  const std::function<void(test_database&)>& finished;
};

// Moves `db` to `target` in batches of `batch_size`, calling the checks; returns the online
// batches of version `version` committed on the way.
std::int64_t move_with_checks(test_database& db, int version, int target, std::int64_t batch_size,
                              const stage_checks& checks) {
  bool started = false;
  std::int64_t batches = 0;
  db.migrate_to(target, [&](upgrade_options& o) {
    o.online_batch_size = batch_size;
    o.on_online_checkpoint = [&](const online_checkpoint& c) {
      if (c.version != version) return;
      // The checks may read from the standby, as the services do (migrate_to waits for it
      // only once the step is done).
      switch (c.at) {
        case online_checkpoint::stage::before:
          started = true;
          if (checks.start) {
            db.wait_for_standby();
            checks.start(db);
          }
          break;
        case online_checkpoint::stage::during:
          batches = c.batches;
          if (checks.concurrent) {
            db.wait_for_standby();
            checks.concurrent(db, c);
          }
          break;
        case online_checkpoint::stage::after:
          break;  // the finished check runs once the whole step is done
      }
    };
  });
  if (!started && checks.start) checks.start(db);  // no online operation: it starts done
  if (checks.finished) checks.finished(db);
  return batches;
}

}  // namespace

version_test_report version_test(test_servers& servers, std::shared_ptr<const schema> s,
                                 const version_test_steps& steps) {
  if (!s) throw std::invalid_argument("pgfns::testing::version_test: no schema given");
  if (steps.version < 1 || steps.version > s->latest_version()) {
    throw std::invalid_argument(
        "pgfns::testing::version_test: version " + std::to_string(steps.version) +
        " is outside the schema's versions 1.." + std::to_string(s->latest_version()));
  }
  if (steps.rounds < 1 || steps.batch_size < 1) {
    throw std::invalid_argument(
        "pgfns::testing::version_test: rounds and batch_size must be at least 1 (rounds " +
        std::to_string(steps.rounds) + ", batch_size " + std::to_string(steps.batch_size) + ")");
  }
  test_database db(servers, s,
                   {.version = steps.version - 1,
                    .label = "version_" + std::to_string(steps.version),
                    .skip_checks = steps.skip_checks});
  if (steps.create_data) steps.create_data(db);
  version_test_report report;
  for (int round = 0; round < steps.rounds; ++round) {
    report.upgrade_batches.push_back(
        move_with_checks(db, steps.version, steps.version, steps.batch_size,
                         {steps.start_check, steps.concurrent_check, steps.finished_check}));
    report.downgrade_batches.push_back(
        move_with_checks(db, steps.version, steps.version - 1, steps.batch_size,
                         {steps.start_downgrade_check, steps.concurrent_downgrade_check,
                          steps.finished_downgrade_check}));
  }
  return report;
}

}  // namespace pgfns::testing

// downgrade() and plan_downgrade() of upgrade.hpp.
#include <pgfns/upgrade.hpp>

#include "admin/bookkeeping.hpp"
#include "admin/online_runner.hpp"
#include "admin/service_users.hpp"
#include "admin/upgrade_session.hpp"
#include "admin/version_step.hpp"
#include "common/sql_text.hpp"

#include <chrono>
#include <optional>

namespace pgfns {
namespace {

migration_plan prepare(detail::admin_session& db, const schema& s, const upgrade_options& o,
                       int target) {
  migration_plan plan;
  plan.from_version = detail::read_known_version(db, s);
  plan.to_version = target;
  const int latest = s.latest_version();
  if (plan.from_version < target) {
    throw upgrade_error(plan.from_version, "",
                        "the database is at version " + std::to_string(plan.from_version) +
                            ", below the target " + std::to_string(target) + "; use upgrade");
  }
  const auto history = detail::compare_history(db, s, plan.from_version);
  if (!history.edited.empty()) {
    detail::note(o, "warning: the schema's definition of applied version(s) " +
                        detail::join_versions(history.edited) +
                        " was edited; downgrading with the current definitions");
  }
  if (plan.from_version < latest &&
      detail::online_pending(db, detail::online_downgrade_from(plan.from_version + 1))) {
    plan.resume_online.push_back(detail::online_operation(true, plan.from_version + 1));
  }
  plan.steps = plan_steps(s, plan.from_version, target, o.prefix);
  return plan;
}

void execute(detail::admin_session& db, const schema& s, const upgrade_options& o,
             const migration_plan& plan) {
  if (!plan.resume_online.empty()) {
    detail::run_online(db, detail::online_downgrade_from(plan.from_version + 1), o);
  }
  detail::run_steps(db, s, plan.steps, o);
}

migration_plan run_downgrade(const schema& s, const upgrade_options& o, bool dry_run) {
  detail::validate_prefix(o.prefix);
  if (!o.target || *o.target < 0) {
    throw upgrade_error(0, "", "a downgrade needs a target version of 0 or more");
  }
  auto db = detail::open_admin(o.admin_url, o.timeouts, detail::downgrade_application);
  detail::guard_sql("downgrade", [&] {
    detail::refuse_service_user(*db, detail::service_users(s, o.prefix), "downgrade");
  });
  db->on_warning([&](std::string_view text) { detail::note(o, std::string(text)); });
  std::optional<detail::upgrade_lock> lock;
  if (!dry_run) lock.emplace(*db, o.lock_timeout);
  return detail::guard_sql("downgrade", [&] {
    auto plan = prepare(*db, s, o, *o.target);
    if (!dry_run) execute(*db, s, o, plan);
    return plan;
  });
}

}  // namespace

migration_plan downgrade(const schema& s, const upgrade_options& o) {
  return run_downgrade(s, o, o.dry_run);
}

migration_plan plan_downgrade(const schema& s, const upgrade_options& o) {
  return run_downgrade(s, o, true);
}

}  // namespace pgfns

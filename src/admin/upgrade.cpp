#include <pgfns/upgrade.hpp>

#include "admin/bookkeeping.hpp"
#include "admin/checks/checks.hpp"
#include "admin/online_runner.hpp"
#include "admin/service_users.hpp"
#include "admin/upgrade_session.hpp"
#include "admin/version_step.hpp"
#include "common/sql_text.hpp"

#include <chrono>
#include <cstdio>
#include <optional>

namespace pgfns {
namespace {

std::string compose(const std::string& message, const std::vector<std::string>& problems) {
  std::string out = message;
  for (const auto& p : problems) out += "\n  " + p;
  return out;
}

// Everything an upgrade decides before changing anything; the dry run stops here.
migration_plan prepare(detail::admin_session& db, const schema& s, const upgrade_options& o,
                       int target, detail::history_comparison& history) {
  migration_plan plan;
  plan.from_version = detail::read_known_version(db, s);
  plan.to_version = target;
  if (plan.from_version > target) {
    throw upgrade_error(plan.from_version, "",
                        "the database is at version " + std::to_string(plan.from_version) +
                            ", past the target " + std::to_string(target) + "; use downgrade");
  }
  history = detail::compare_history(db, s, plan.from_version);
  if (!history.edited.empty()) {
    std::vector<std::string> problems;
    for (int v : history.edited) {
      problems.push_back("version " + std::to_string(v) +
                         ": scripts or functions differ from what was applied");
    }
    throw upgrade_error(history.edited.front(), "",
                        "refusing to upgrade: the schema's definition of already applied "
                        "version(s) " +
                            detail::join_versions(history.edited) +
                            " was edited; add a new version instead of changing an applied one",
                        std::move(problems));
  }
  const auto missing = detail::missing_users(db, detail::service_users(s, o.prefix));
  if (!missing.empty() && !o.create_users) {
    throw upgrade_error(0, "",
                        "service users missing (create them, or pass --create-users):", missing);
  }
  plan.create_users = missing;
  if (plan.from_version > 0 &&
      detail::online_pending(db, detail::online_migration_at(plan.from_version))) {
    plan.resume_online.push_back(detail::online_operation(false, plan.from_version));
  }
  plan.steps = plan_steps(s, plan.from_version, target, o.prefix);
  return plan;
}

void execute(detail::admin_session& db, const schema& s, const upgrade_options& o,
             const migration_plan& plan, const detail::history_comparison& history) {
  db.exec("create extension if not exists pgcrypto");
  if (!history.unrecorded.empty()) {
    detail::admin_transaction tx(db);
    detail::ensure_bookkeeping(db);
    for (int v : history.unrecorded) detail::record_applied(db, *s.find_version(v));
    tx.commit();
    detail::note(o, "recorded checksums of versions " + detail::join_versions(history.unrecorded) +
                        ", applied before pgfns kept a history");
  }
  detail::create_users(db, plan.create_users);
  for (const auto& user : plan.create_users) detail::note(o, "created service user " + user);
  if (!plan.resume_online.empty()) {
    detail::run_online(db, detail::online_migration_at(plan.from_version), o);
  }
  detail::run_steps(db, s, plan.steps, o);

  const auto users = detail::service_users(s, o.prefix);
  if (plan.to_version > 0) detail::grant_baseline(db, users);
  if (o.create_users && !detail::restrict_database(db, users)) {
    detail::note(o,
                 "large objects: only a superuser may revoke their creation; check reports "
                 "those of service users");
  }
  if (plan.to_version == s.latest_version() && !o.skip_checks) {
    auto problems = detail::check_grants(db, s, o.prefix);
    const auto append = [&](const std::vector<std::string>& more) {
      problems.insert(problems.end(), more.begin(), more.end());
    };
    // Without --create-users the database's privileges are the deployer's to set.
    if (o.create_users) {
      append(detail::check_database_privileges(db, detail::existing_users_json(db, s, o.prefix)));
    }
    append(detail::check_tables(db, s));
    append(detail::check_functions(db, s));
    if (!problems.empty()) {
      throw upgrade_error(plan.to_version, "",
                          "upgraded to version " + std::to_string(plan.to_version) +
                              ", but the database does not match the schema:",
                          std::move(problems));
    }
  }
}

migration_plan run_upgrade(const schema& s, const upgrade_options& o, bool dry_run) {
  detail::validate_prefix(o.prefix);
  const int target = o.target.value_or(s.latest_version());
  if (target < 0 || target > s.latest_version()) {
    throw upgrade_error(0, "",
                        "target version " + std::to_string(target) +
                            " is outside this schema's versions 0.." +
                            std::to_string(s.latest_version()));
  }
  auto db = detail::open_admin(o.admin_url, o.timeouts, detail::upgrade_application);
  detail::guard_sql("upgrade", [&] {
    detail::refuse_service_user(*db, detail::service_users(s, o.prefix), "upgrade");
  });
  db->on_warning([&](std::string_view text) { detail::note(o, std::string(text)); });
  std::optional<detail::upgrade_lock> lock;
  if (!dry_run) lock.emplace(*db, o.lock_timeout);
  return detail::guard_sql("upgrade", [&] {
    detail::history_comparison history;
    auto plan = prepare(*db, s, o, target, history);
    if (!dry_run) execute(*db, s, o, plan, history);
    return plan;
  });
}

std::string format_duration(std::chrono::nanoseconds d) {
  const double ms = std::chrono::duration<double, std::milli>(d).count();
  char buf[32];
  if (ms < 10) {
    std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  } else if (ms < 10'000) {
    std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000);
  }
  return buf;
}

}  // namespace

upgrade_error::upgrade_error(int version, std::string sqlstate, std::string message,
                             std::vector<std::string> problems)
    : std::runtime_error(compose(message, problems)),
      version_(version),
      sqlstate_(std::move(sqlstate)),
      message_(std::move(message)),
      problems_(std::move(problems)) {}

std::string to_string(const progress_event& e) {
  const std::string v = "version " + std::to_string(e.version);
  const std::string took = format_duration(e.elapsed);
  switch (e.what) {
    case progress_event::kind::upgraded:
      return v + " upgraded in " + took + ": " + detail::one_line(e.text);
    case progress_event::kind::downgraded:
      return v + " downgraded in " + took + ": " + detail::one_line(e.text);
    case progress_event::kind::online_batch:
      return v + " " + e.text + ": " + std::to_string(e.items) + " items so far (" + took + ")";
    case progress_event::kind::online_done:
      return v + " " + e.text + " complete: " + std::to_string(e.items) + " items in " + took;
    case progress_event::kind::note:
      break;
  }
  return e.text;
}

migration_plan upgrade(const schema& s, const upgrade_options& o) {
  return run_upgrade(s, o, o.dry_run);
}

migration_plan plan_upgrade(const schema& s, const upgrade_options& o) {
  return run_upgrade(s, o, true);
}

int db_version(const std::string& admin_url, const admin_timeouts& timeouts) {
  auto db = detail::open_admin(admin_url, timeouts, "pgfns db-version");
  return detail::guard_sql("reading the database version",
                           [&] { return detail::read_version(*db); });
}

}  // namespace pgfns

#include "admin/version_step.hpp"

#include "admin/bookkeeping.hpp"
#include "admin/online_runner.hpp"
#include "common/sql_text.hpp"

#include <pgfns/upgrade.hpp>

#include <algorithm>
#include <chrono>

namespace pgfns::detail {
namespace {

// Runs `prefix + dollar_quote(payload) + suffix`, reporting errors as `doing` at `version`.
void run_quoted(admin_session& db, int version, const std::string& doing, const std::string& prefix,
                const std::string& payload, const std::string& suffix = {}) {
  const std::string quoted = dollar_quote(payload);
  const std::string statement = prefix + quoted + suffix;
  try {
    db.exec(statement);
  } catch (const sql_error& e) {
    const auto tag_length = quoted.find('$', 1) + 1;
    fail_step(version, doing, e, statement, prefix.size() + tag_length);
  }
}

void define_function(admin_session& db, int version, const function_definition& f) {
  run_quoted(
      db, version,
      "defining function " + f.name + " (as of version " + std::to_string(f.defined_in) + ")",
      "create or replace function " + quote_identifier(f.name) + "(" + f.args + ") returns " +
          f.returns + " as ",
      f.body, " language plpgsql");
}

void drop_online_functions(admin_session& db, const std::string& operation) {
  db.exec("drop function if exists " + operation + "_batch(integer, jsonb); drop function if " +
          "exists " + operation + "_is_complete()");
  forget_online_state(db, operation);
}

}  // namespace

void fail_step(int version, const std::string& doing, const sql_error& e,
               const std::string& statement, std::size_t payload_offset) {
  if (const auto* late = dynamic_cast<const no_answer_error*>(&e)) {
    throw upgrade_error(version, "",
                        "version " + std::to_string(version) + ": " + doing + ": " + late->what());
  }
  const auto& f = e.info();
  std::string where;
  if (f.position > 0 && !statement.empty()) {
    const int line = line_of_position(statement, f.position);
    const auto before = static_cast<int>(std::count(
        statement.begin(),
        statement.begin() + static_cast<std::ptrdiff_t>(std::min(payload_offset, statement.size())),
        '\n'));
    if (line > before) where = " at line " + std::to_string(line - before);
  }
  throw upgrade_error(
      version, f.sqlstate,
      "version " + std::to_string(version) + ": " + doing + " failed" + where + ": " + e.what());
}

void apply_step(admin_session& db, const schema& s, const plan_step& step) {
  const int v = step.version;
  const std::string kind = step.downgrade ? "downgrade script" : "migration script";
  try {
    admin_transaction tx(db);
    if (!step.downgrade) ensure_bookkeeping(db);
    lock_version_row(db, step.downgrade ? v : v - 1, v);
    // Functions of an interrupted online operation in the other direction are stale now, and
    // a script that creates them again would fail on the leftovers.
    drop_online_functions(db, online_operation(!step.downgrade, v));
    if (step.script) run_quoted(db, v, kind, "DO ", *step.script);
    for (const auto& f : step.define) define_function(db, v, f);
    for (const auto& f : step.drop) {
      try {
        db.exec("drop function " + quote_identifier(f.name) + "(" + f.args + ")");
      } catch (const sql_error& e) {
        fail_step(v, "dropping function " + f.name, e);
      }
    }
    set_version(db, step.version_after());
    if (step.downgrade) {
      forget_applied(db, v);
    } else {
      record_applied(db, *s.find_version(v));
    }
    tx.commit();
  } catch (const upgrade_error&) {
    throw;
  } catch (const sql_error& e) {
    fail_step(v, step.downgrade ? "downgrade" : "upgrade", e);
  }
}

void run_steps(admin_session& db, const schema& s, const std::vector<plan_step>& steps,
               const upgrade_options& o) {
  for (const auto& step : steps) {
    const auto started = std::chrono::steady_clock::now();
    apply_step(db, s, step);
    if (o.progress) {
      o.progress(
          {step.downgrade ? progress_event::kind::downgraded : progress_event::kind::upgraded,
           step.version, step.description, std::chrono::steady_clock::now() - started, 0});
    }
    run_online(
        db,
        step.downgrade ? online_downgrade_from(step.version) : online_migration_at(step.version),
        o);
  }
}

}  // namespace pgfns::detail

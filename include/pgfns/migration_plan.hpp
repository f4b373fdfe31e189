// What an upgrade or downgrade does to a database, version by version: the plan that
// `--dry-run` prints and that upgrade()/downgrade() carry out.
#pragma once

#include <pgfns/schema.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns {

// `create or replace function "name"(args) returns ... language plpgsql`.
struct function_definition {
  std::string name;
  std::string args;
  std::string returns;
  std::string body;
  int defined_in = 0;  // the version whose definition this is
};

// `drop function "name"(args)`: a downgrade undoing the version that introduced the method.
struct function_drop {
  std::string name;
  std::string args;
};

// One version applied (upgrade) or undone (downgrade), in one transaction.
struct plan_step {
  int version = 0;  // the version applied, or the version undone
  bool downgrade = false;
  std::string description;
  // The migration script (upgrade) or downgrade script (downgrade) with `$db_user_prefix$`
  // already replaced; nullopt when the version has none.
  std::optional<std::string> script;
  std::vector<function_definition> define;  // in the version file's order (upgrade) or by name
  std::vector<function_drop> drop;
  // "online_migration_v<N>" (or "online_downgrade_v<N>") when the script creates that online
  // operation's batch function: it runs to completion right after this step.
  std::string online;

  int version_after() const noexcept { return downgrade ? version - 1 : version; }
};

struct migration_plan {
  int from_version = 0;
  int to_version = 0;
  std::vector<std::string> create_users;  // service users that do not exist yet
  // Online migrations or downgrades left unfinished by an interrupted run, resumed first
  // (e.g. "online_migration_v59").
  std::vector<std::string> resume_online;
  std::vector<plan_step> steps;
};

// The steps that move a database from version `from` to version `to` (either direction),
// with scripts prefixed for `prefix`. Pure: needs no database. Throws std::invalid_argument
// when a version is outside 0..latest.
std::vector<plan_step> plan_steps(const schema& s, int from, int to, std::string_view prefix);

// Human-readable plan: versions with descriptions, full scripts, functions defined or dropped.
std::string to_string(const migration_plan& plan);

}  // namespace pgfns

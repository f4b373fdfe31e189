// Shared by the upgrade, downgrade and check tests: service-user prefixes that no other test
// uses (roles are cluster-wide) and their cleanup, upgrade options for a scratch database.
#pragma once

#include "pg_test.hpp"
#include "schema_test_paths.hpp"
#include "temp_tree.hpp"

#include <pgfns/upgrade.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pgfns::test {

// Drops every role named `<prefix>_*` when destroyed. Declare it before the
// scratch_database whose grants name those roles, so the database goes first.
class service_roles {
 public:
  // `label` (lowercase letters) plus letters unique to this process and call: ^[a-z_]+$.
  explicit service_roles(std::string_view label);
  ~service_roles();
  service_roles(const service_roles&) = delete;
  service_roles& operator=(const service_roles&) = delete;

  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
};

// Options for `db` with service users under `prefix`, creating missing users, and progress
// events appended to `events` when given.
upgrade_options options_for(const scratch_database& db, const std::string& prefix,
                            std::vector<progress_event>* events = nullptr);

// The number of rows `sql` returns in `db`, as an integer (for `select count(*) ...`).
long long count_of(const scratch_database& db, const std::string& sql);

}  // namespace pgfns::test

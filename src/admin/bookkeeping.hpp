// The tables pgfns keeps in a managed database, and the SQL that reads and writes them:
//   tcversion          (version integer)                 one row: the schema version
//   tcversion_history  (version, checksum, applied_at)   a checksum of each applied version
//   tcversion_online   (operation, state, items, ...)    progress of an unfinished online
//                                                         migration or downgrade
#pragma once

#include "admin/admin_session.hpp"

#include <pgfns/schema.hpp>

#include <optional>
#include <string>
#include <vector>

namespace pgfns::detail {

// The version in tcversion; 0 when the table does not exist.
int read_version(admin_session& db);
// read_version(), refused (upgrade_error) when newer than the schema's latest version.
int read_known_version(admin_session& db, const schema& s);

// Creates whichever bookkeeping tables are missing (tcversion with its row 0). Run inside the
// transaction of the first version step, under the upgrade lock.
void ensure_bookkeeping(admin_session& db);

// `select version from tcversion for update`; throws upgrade_error naming `step_version`
// when the row is not `expected` (another tool changed the database meanwhile).
void lock_version_row(admin_session& db, int expected, int step_version);
void set_version(admin_session& db, int version);

// The text a version's checksum is computed from: everything the upgrade sends to the
// database (scripts and function definitions), canonical JSON, methods sorted by name.
// Descriptions, modes and service names are left out: editing them changes no database.
std::string checksum_text(const version& v);

// Records (or replaces) the checksum of `v`; removes the record of an undone version.
void record_applied(admin_session& db, const version& v);
void forget_applied(admin_session& db, int version);

struct history_comparison {
  std::vector<int> edited;      // applied versions whose definition differs from the record
  std::vector<int> unrecorded;  // applied versions with no record (applied by another tool)
};
// Compares the records of versions 1..applied with the schema's definitions.
history_comparison compare_history(admin_session& db, const schema& s, int applied);

// Saved state of an online operation ("online_migration_v59"); nullopt when none is saved.
std::optional<std::string> load_online_state(admin_session& db, const std::string& operation);
void save_online_state(admin_session& db, const std::string& operation, const std::string& state,
                       long long items);
void forget_online_state(admin_session& db, const std::string& operation);

}  // namespace pgfns::detail

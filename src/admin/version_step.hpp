// Carries out one step of a migration plan in one transaction.
#pragma once

#include "admin/admin_session.hpp"

#include <pgfns/migration_plan.hpp>
#include <pgfns/schema.hpp>
#include <pgfns/upgrade.hpp>

#include <functional>
#include <string>
#include <vector>

namespace pgfns::detail {

// Upgrade step: creates the bookkeeping tables when absent, locks tcversion and checks it is
// at step.version - 1, drops leftovers of an interrupted online downgrade of that version,
// runs the migration script, defines the functions, records the checksum, sets the version.
// Downgrade step: the mirror image (expects step.version, runs the downgrade script,
// redefines or drops functions, forgets the checksum, sets step.version - 1).
// On any error the transaction is rolled back and upgrade_error names the version, what was
// being done and the server's SQLSTATE, message and location.
void apply_step(admin_session& db, const schema& s, const plan_step& step);

// Applies each step in turn, each followed by its online migration or downgrade when the step
// defined one, and reports one progress event per version.
void run_steps(admin_session& db, const schema& s, const std::vector<plan_step>& steps,
               const upgrade_options& o);

// [[noreturn]]: wraps a server error met while `doing` something for `version` into
// upgrade_error; `statement` and `payload_offset` (where the script or body starts in it) turn
// the server's error position into a line number of the script or body.
[[noreturn]] void fail_step(int version, const std::string& doing, const sql_error& e,
                            const std::string& statement = {}, std::size_t payload_offset = 0);

}  // namespace pgfns::detail

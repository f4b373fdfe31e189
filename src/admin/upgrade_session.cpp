#include "admin/upgrade_session.hpp"

#include "common/error_line.hpp"
#include "common/url_redact.hpp"

namespace pgfns::detail {
namespace {

// Advisory locks are per database, so one key serves every managed database ("pgfns").
const std::string lock_key = std::to_string(upgrade_lock_key);

}  // namespace

void note(const upgrade_options& options, std::string text) {
  if (options.progress) {
    options.progress({progress_event::kind::note, 0, std::move(text), {}, 0});
  }
}

std::string join_versions(const std::vector<int>& versions) {
  std::string out;
  for (int v : versions) out += (out.empty() ? "" : ", ") + std::to_string(v);
  return out;
}

std::unique_ptr<admin_session> open_admin(const std::string& conninfo) {
  // libpq would look a piece of the password up as a host name: refuse before connecting.
  if (password_misread(conninfo)) {
    throw upgrade_error(
        0, "08001",
        error_line(redact_message(
            "cannot connect to " + conninfo + ": " + std::string(misread_advice), conninfo)));
  }
  try {
    return std::make_unique<admin_session>(conninfo);
  } catch (const sql_error& e) {
    // 08001: sqlclient_unable_to_establish_sqlconnection.
    throw upgrade_error(0, e.info().sqlstate.empty() ? "08001" : e.info().sqlstate, e.what());
  }
}

upgrade_lock::upgrade_lock(admin_session& db, std::chrono::milliseconds timeout) : db_(db) {
  try {
    db_.exec("set lock_timeout = " + std::to_string(std::max<long long>(1, timeout.count())));
    db_.query("select pg_advisory_lock(" + lock_key + ")");
    db_.exec("set lock_timeout = 0");
  } catch (const sql_error& e) {
    if (e.info().sqlstate == "55P03") {
      throw upgrade_error(0, "55P03",
                          "another upgrade or downgrade of this database has held its lock for " +
                              std::to_string(timeout.count()) +
                              " ms; it may still be running (try again later or raise the lock "
                              "timeout)");
    }
    throw upgrade_error(0, e.info().sqlstate,
                        std::string("taking the upgrade lock failed: ") + e.what());
  }
}

upgrade_lock::~upgrade_lock() {
  try {
    db_.query("select pg_advisory_unlock(" + lock_key + ")");
  } catch (...) {
    // A broken connection released the lock with the session.
  }
}

}  // namespace pgfns::detail

#include "admin/upgrade_session.hpp"

#include "common/error_line.hpp"
#include "common/url_redact.hpp"

namespace pgfns::detail {
namespace {

// Advisory locks are per database, so one key serves every managed database ("pgfns").
const std::string lock_key = std::to_string(upgrade_lock_key);

// The sessions holding the upgrade lock in this database (a bigint key is split into classid,
// the high 32 bits, and objid, the low ones, with objsubid 1).
constexpr const char* holder_sql = R"(
  select a.pid::text, a.usename, a.application_name,
         to_char(a.backend_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'), a.state
  from pg_locks l join pg_stat_activity a on a.pid = l.pid
  where l.locktype = 'advisory' and l.granted and l.objsubid = 1
    and l.database = (select oid from pg_database where datname = current_database())
    and l.classid::bigint = $1::bigint >> 32 and l.objid::bigint = $1::bigint & 4294967295
  order by a.backend_start)";

std::string text_or(const sql_param& v, const char* otherwise) {
  return v && !v->empty() ? *v : std::string(otherwise);
}

// Who holds the lock, for the error when waiting for it timed out. Not knowing (the holder
// left meanwhile, or the query failed) is said as such.
std::string lock_held_message(admin_session& db, std::chrono::milliseconds waited) {
  const std::string wait =
      "waited " + seconds_text(waited) + " for the upgrade lock (advisory lock " + lock_key + ")";
  std::vector<sql_row> rows;
  try {
    rows = db.query(holder_sql, {lock_key});
  } catch (const sql_error& e) {
    return wait + "; finding its holder failed: " + e.what();
  }
  if (rows.empty()) return wait + "; its holder released it just now (try again)";
  const auto& r = rows.front();
  const std::string app = text_or(r[2], "");
  std::string who = "session pid " + text_or(r[0], "?") + " of user " + text_or(r[1], "(hidden)") +
                    ", application_name '" + app + "'";
  if (r[3]) who += ", connected since " + *r[3];
  if (r[4]) who += ", " + *r[4];
  if (app == upgrade_application || app == downgrade_application) {
    return "another upgrade or downgrade of this database (" + who + ") has held its lock for " +
           seconds_text(waited) + "; it may still be running (try again later or raise the lock " +
           "timeout)";
  }
  return wait + ": it is held by " + who +
         ", which is not a pgfns upgrade or downgrade (end that session, e.g. with "
         "pg_terminate_backend(" +
         text_or(r[0], "pid") + "), or wait until it releases the lock)";
}

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

std::unique_ptr<admin_session> open_admin(const std::string& conninfo, const admin_timeouts& limits,
                                          const std::string& application_name) {
  // libpq would look a piece of the password up as a host name: refuse before connecting.
  if (password_misread(conninfo)) {
    throw upgrade_error(
        0, "08001",
        error_line(redact_message(
            "cannot connect to " + conninfo + ": " + std::string(misread_advice), conninfo)));
  }
  try {
    return std::make_unique<admin_session>(conninfo, limits, application_name);
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
      throw upgrade_error(0, "55P03", lock_held_message(db_, timeout));
    }
    guard_sql("taking the upgrade lock", [&] { throw; });
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

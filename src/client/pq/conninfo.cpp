#include "client/pq/conninfo.hpp"

#include "common/error_line.hpp"
#include "common/pq_handle.hpp"
#include "common/url_redact.hpp"

#include <libpq-fe.h>

#include <stdexcept>
#include <utility>

namespace pgfns::detail {
namespace {

std::string setting(std::string_view name, std::string_view value) {
  std::string s = " -c ";
  s += name;
  s += '=';
  s += value;
  return s;
}

// The settings every connection gets, as name/value pairs: per session (session_options), or in
// pooler mode per job (guard_statement). The text of intervals, bytea and floating-point numbers
// is set as pgfns reads it (text_format), whatever the server's or the role's defaults.
std::vector<std::pair<std::string_view, std::string>> fixed_settings() {
  return {{"DateStyle", "ISO,MDY"},
          {"TimeZone", "UTC"},
          {"IntervalStyle", "postgres"},
          {"bytea_output", "hex"},
          {"extra_float_digits", "1"}};
}

std::string millis(std::chrono::milliseconds ms) {
  return std::to_string(ms.count()) + "ms";
}

std::string session_options(const session_settings& settings) {
  std::string options;
  for (const auto& [name, v] : fixed_settings()) options += setting(name, v);
  options +=
      setting("idle_in_transaction_session_timeout", millis(settings.idle_in_transaction_timeout));
  if (settings.statement_timeout.count() > 0)
    options += setting("statement_timeout", millis(settings.statement_timeout));
  if (settings.read_only) options += setting("default_transaction_read_only", "on");
  return options;
}

// One statement that sets, for the rest of its transaction, what session_options sets for a
// session. Run first in a job's implicit transaction (before the job's Sync), it binds the
// statements after it: the server enforces the timeout and read-only mode on them. (Set within
// the call's own statement, they would come too late: a statement's timeout is armed and its
// read-only check made before it runs.)
std::string guard_statement(const session_settings& settings) {
  auto pairs = fixed_settings();
  if (settings.statement_timeout.count() > 0)
    pairs.emplace_back("statement_timeout", millis(settings.statement_timeout));
  if (settings.read_only) pairs.emplace_back("transaction_read_only", "on");
  std::string sql = "select";
  const char* sep = " ";
  for (const auto& [name, v] : pairs) {
    sql += sep;
    sql += "set_config('";
    sql += name;
    sql += "', '";
    sql += v;
    sql += "', true)";
    sep = ", ";
  }
  return sql;
}

}  // namespace

conninfo::conninfo(std::string_view url, const session_settings& settings)
    : secrets_(password_texts(url)), redacted_(redact_connection_string(url)) {
  const auto invalid = [url](std::string_view why) {
    return std::invalid_argument(error_line(redact_message(
        "invalid connection URL " + std::string(url) + ": " + std::string(why), url)));
  };
  // An unencoded '@' or '/' ends a URL's password early for libpq, which takes the rest for
  // the host (or port): it would be looked up in DNS and printed as "the server".
  if (password_misread(url)) {
    throw invalid(misread_advice);
  }
  char* raw_err = nullptr;
  conninfo_options_handle parsed(PQconninfoParse(std::string(url).c_str(), &raw_err));
  pq_string_handle err(raw_err);
  if (!parsed) {
    // libpq's message may quote the whole URL or a token of its password.
    throw invalid(err ? err.get() : "out of memory");
  }
  for (const PQconninfoOption* o = parsed.get(); o->keyword; ++o) {
    if (o->val && *o->val) set(o->keyword, o->val);
  }

  if (settings.pooler) {
    // A transaction pooler refuses the options parameter and hands server connections from
    // client to client: the settings go with each job instead (guard_sql).
    if (!value("options").empty())
      throw invalid(
          "the options parameter is refused by a transaction pooler (pooler mode); "
          "give such settings to the service's role with ALTER ROLE ... SET instead");
    guard_sql_ = guard_statement(settings);
  } else {
    set("options", value("options") + session_options(settings));
  }
  if (!settings.application_name.empty())
    set("fallback_application_name", settings.application_name);
  // TCP keepalives, so that a connection to a vanished host (crashed, cut off) is noticed in
  // about a minute instead of the system's default two hours. The URL's own values win.
  for (const auto& [keyword, v] :
       {std::pair{"keepalives_idle", "30"}, std::pair{"keepalives_interval", "10"},
        std::pair{"keepalives_count", "3"}}) {
    if (value(keyword).empty()) set(keyword, v);
  }

  for (std::size_t i = 0; i < keys_.size(); ++i) {
    keyword_ptrs_.push_back(keys_[i].c_str());
    value_ptrs_.push_back(vals_[i].c_str());
  }
  keyword_ptrs_.push_back(nullptr);
  value_ptrs_.push_back(nullptr);

  std::string host = value("hostaddr");
  if (host.empty()) host = value("host");
  // The service file names the server, which only libpq reads: name the service instead.
  if (host.empty() && !value("service").empty()) host = "service=" + value("service");
  if (host.empty()) host = "(default host)";
  server_ = host;
  if (auto port = value("port"); !port.empty()) server_ += ':' + port;
  if (auto db = value("dbname"); !db.empty()) server_ += '/' + db;
}

std::string conninfo::message(std::string_view libpq_text) const {
  std::string line = error_line(secrets_.empty() ? std::string(libpq_text)
                                                 : mask_pieces(libpq_text, secrets_, redacted_));
  // What pgbouncer says to a client that sends session settings.
  if (!pooler() && line.find("unsupported startup parameter: options") != std::string::npos)
    line +=
        " (a pooler in transaction mode? pgfns needs to be told: database_options::pooler, "
        "or --pooler transaction)";
  return line;
}

std::string conninfo::value(std::string_view keyword) const {
  for (std::size_t i = 0; i < keys_.size(); ++i)
    if (keys_[i] == keyword) return vals_[i];
  return {};
}

void conninfo::set(std::string_view keyword, std::string value) {
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == keyword) {
      vals_[i] = std::move(value);
      return;
    }
  }
  keys_.emplace_back(keyword);
  vals_.push_back(std::move(value));
}

}  // namespace pgfns::detail

#include "pg_test.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "common/pq_handle.hpp"

namespace pgfns::test {
namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Reads the KEY=VALUE lines scripts/lib/env-file.sh writes (values bare or single-quoted).
std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error(
        "no PostgreSQL server for the integration tests: " + path +
        " does not exist, so the cluster.start fixture did not run or failed (run the tests "
        "through ctest, e.g. `ctest --test-dir BUILD -R NAME`, which runs the fixture too)");
  }
  std::map<std::string, std::string> vars;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
      value = value.substr(1, value.size() - 2);
    }
    vars[line.substr(0, eq)] = value;
  }
  return vars;
}

server_urls find_server() {
  if (auto url = env_or_empty("PGFNS_TEST_DB_URL"); !url.empty()) {
    return {url, env_or_empty("PGFNS_TEST_READ_URL"), env_or_empty("PGFNS_TEST_POOLED_DB_URL"),
            env_or_empty("PGFNS_TEST_POOLED_READ_URL")};
  }
  const auto dir = env_or_empty("PGFNS_TEST_CLUSTER_DIR");
  if (dir.empty()) {
    throw std::runtime_error(
        "no PostgreSQL server for the integration tests: set PGFNS_TEST_DB_URL to a server's "
        "URL, or run the tests through ctest, whose cluster.start fixture starts a throwaway "
        "cluster and sets PGFNS_TEST_CLUSTER_DIR");
  }
  const auto path = dir + "/env";
  auto vars = read_env_file(path);
  if (vars["PGFNS_PRIMARY_URL"].empty()) {
    throw std::runtime_error(path + ": PGFNS_PRIMARY_URL is missing or empty");
  }
  return {vars["PGFNS_PRIMARY_URL"], vars["PGFNS_STANDBY_URL"], vars["PGFNS_PRIMARY_POOLED_URL"],
          vars["PGFNS_STANDBY_POOLED_URL"]};
}

// Where a connection goes, without any password: user@host:port/dbname.
std::string describe(PGconn* c) {
  const auto text = [](const char* s) { return std::string(s ? s : "?"); };
  return text(PQuser(c)) + "@" + text(PQhost(c)) + ":" + text(PQport(c)) + "/" + text(PQdb(c));
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

detail::conn_handle connect(const std::string& url) {
  detail::conn_handle c(PQconnectdb(url.c_str()));
  if (!c) throw std::runtime_error("libpq could not allocate a connection");
  if (PQstatus(c.get()) != CONNECTION_OK) {
    throw sql_error(
        "cannot connect to " + describe(c.get()) + ": " + trimmed(PQerrorMessage(c.get())), "");
  }
  return c;
}

[[noreturn]] void fail(PGconn* c, PGresult* r, const std::string& sql) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const auto shown = sql.size() > 300 ? sql.substr(0, 300) + "..." : sql;
  throw sql_error("SQL failed on " + describe(c) + (state ? std::string(" [") + state + "]" : "") +
                      ": " + trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(c)) +
                      "\n  in: " + shown,
                  state ? state : "");
}

// Runs one or more statements; returns the last one's result. On failure, throws the first
// error: when the server ends the session (e.g. 57P01) that is its error, not libpq's later
// "server closed the connection", which has no SQLSTATE.
detail::result_handle run(PGconn* c, const std::string& sql) {
  if (!PQsendQuery(c, sql.c_str())) fail(c, nullptr, sql);
  detail::result_handle last, error;
  while (PGresult* raw = PQgetResult(c)) {
    detail::result_handle r(raw);
    switch (PQresultStatus(raw)) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        last = std::move(r);
        break;
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:
        throw std::runtime_error("COPY is not supported by the test support: " + sql);
      default:
        if (!error) error = std::move(r);
    }
  }
  if (error) fail(c, error.get(), sql);
  if (!last) fail(c, nullptr, sql);
  return last;
}

std::vector<text_row> rows_of(PGresult* r) {
  std::vector<text_row> rows(PQntuples(r));
  for (int i = 0; i < PQntuples(r); ++i) {
    for (int j = 0; j < PQnfields(r); ++j) {
      if (PQgetisnull(r, i, j)) {
        rows[i].emplace_back(std::nullopt);
      } else {
        rows[i].emplace_back(std::string(PQgetvalue(r, i, j), PQgetlength(r, i, j)));
      }
    }
  }
  return rows;
}

std::string single_value(PGresult* r, const std::string& sql) {
  if (PQntuples(r) != 1 || PQnfields(r) != 1 || PQgetisnull(r, 0, 0)) {
    throw std::runtime_error("expected one row of one non-NULL column from: " + sql);
  }
  return PQgetvalue(r, 0, 0);
}

bool is_url(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

// `a=1&dbname=x&b=2` -> `a=1&b=2` (a dbname parameter would override the path).
std::string without_dbname_param(std::string_view query) {
  std::string out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto param = query.substr(0, amp);
    if (!param.empty() && !param.starts_with("dbname=")) {
      if (!out.empty()) out += '&';
      out += param;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

// Lowercase letters, digits and '_' only, at most 24 characters.
std::string identifier_part(std::string_view label) {
  std::string out;
  for (unsigned char ch : label.substr(0, 24)) {
    out += std::isalnum(ch) ? static_cast<char>(std::tolower(ch)) : '_';
  }
  return out.empty() ? "t" : out;
}

}  // namespace

std::string percent_encoded(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

const server_urls& server() {
  static const server_urls urls = find_server();
  return urls;
}

bool has_standby() {
  return !server().standby.empty();
}

bool has_pooler() {
  return !server().primary_pooled.empty();
}

std::string url_with_database(std::string_view url, std::string_view dbname) {
  if (!is_url(url)) {
    // Keyword/value form: libpq lets a later keyword override an earlier one.
    std::string quoted;
    for (char ch : dbname) {
      if (ch == '\'' || ch == '\\') quoted += '\\';
      quoted += ch;
    }
    return std::string(url) + " dbname='" + quoted + "'";
  }
  const auto authority_begin = url.find("://") + 3;
  const auto path_begin = std::min(url.find_first_of("/?", authority_begin), url.size());
  std::string out(url.substr(0, path_begin));
  out += '/';
  out += percent_encoded(dbname);
  if (const auto q = url.find('?', path_begin); q != std::string_view::npos) {
    const auto query = without_dbname_param(url.substr(q + 1));
    if (!query.empty()) out += '?' + query;
  }
  return out;
}

std::vector<text_row> query(const std::string& url, const std::string& sql) {
  const auto c = connect(url);
  return rows_of(run(c.get(), sql).get());
}

std::string query_value(const std::string& url, const std::string& sql) {
  const auto c = connect(url);
  return single_value(run(c.get(), sql).get(), sql);
}

scratch_database::scratch_database(std::string_view label) {
  static std::atomic<unsigned> counter{0};
  const auto prefix = "pgfns_" + identifier_part(label) + "_" + std::to_string(getpid()) + "_";
  // A database left behind by an earlier run whose process had the same id is never reused
  // (nor dropped: it may belong to another machine sharing PGFNS_TEST_DB_URL).
  for (int attempt = 0;; ++attempt) {
    name_ = prefix + std::to_string(counter++);
    try {
      query(server().primary, "create database \"" + name_ + "\"");
      break;
    } catch (const sql_error& e) {
      if (e.sqlstate() != "42P04" || attempt == 99) throw;  // 42P04: duplicate_database
    }
  }
  try {
    wait_for_standby();  // so that read_url() works at once
  } catch (...) {
    drop();
    throw;
  }
}

scratch_database::~scratch_database() {
  drop();
}

void scratch_database::drop() const noexcept {
  try {
    query(server().primary, "drop database if exists \"" + name_ + "\" with (force)");
  } catch (const std::exception& e) {
    std::cerr << "warning: could not drop scratch database " << name_ << ": " << e.what() << '\n';
  }
}

std::string scratch_database::write_url() const {
  return url_with_database(server().primary, name_);
}

std::string scratch_database::read_url() const {
  return url_with_database(has_standby() ? server().standby : server().primary, name_);
}

std::string scratch_database::pooled_write_url() const {
  if (!has_pooler()) {
    throw std::runtime_error(
        "no pgbouncer in front of the test servers: install it (scripts/setup) and rerun "
        "through ctest, or set PGFNS_TEST_POOLED_DB_URL with PGFNS_TEST_DB_URL");
  }
  return url_with_database(server().primary_pooled, name_);
}

std::string scratch_database::pooled_read_url() const {
  const auto& standby = server().standby_pooled;
  return standby.empty() ? pooled_write_url() : url_with_database(standby, name_);
}

void scratch_database::exec(const std::string& sql) const {
  query(write_url(), sql);
}

void scratch_database::wait_for_standby() const {
  if (!has_standby()) return;
  // A transaction with an id, committed synchronously, flushes all WAL before it (including
  // commits made with synchronous_commit off), so the write position covers every commit.
  const auto primary = connect(server().primary);
  run(primary.get(), "set synchronous_commit = on");
  run(primary.get(), "select pg_current_xact_id()");
  const std::string lsn_sql = "select pg_current_wal_lsn()::text";
  const auto target = single_value(run(primary.get(), lsn_sql).get(), lsn_sql);

  const auto standby = connect(server().standby);
  const auto check = "select pg_last_wal_replay_lsn() >= '" + target +
                     "'::pg_lsn, coalesce(pg_last_wal_replay_lsn()::text, 'none')";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    const auto rows = rows_of(run(standby.get(), check).get());
    if (rows.at(0).at(0) == "t") return;
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("the standby " + describe(standby.get()) +
                               " did not replay up to the primary's WAL position " + target +
                               " within 10 s (it replayed up to " + *rows.at(0).at(1) + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace pgfns::test

// The blocking SQL of the test helpers: one libpq connection per call.
#include <pgfns/testing.hpp>

#include "session.hpp"
#include "urls.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <memory>

namespace pgfns::testing {
namespace {

struct result_clearer {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_clearer>;

// Where a connection goes, without any password: user@host:port/dbname.
std::string describe(PGconn* c) {
  const auto text = [](const char* s) { return std::string(s ? s : "?"); };
  return text(PQuser(c)) + "@" + text(PQhost(c)) + ":" + text(PQport(c)) + "/" + text(PQdb(c));
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
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
result_ptr run(PGconn* c, const std::string& sql) {
  if (!PQsendQuery(c, sql.c_str())) fail(c, nullptr, sql);
  result_ptr last, error;
  while (PGresult* raw = PQgetResult(c)) {
    result_ptr r(raw);
    switch (PQresultStatus(raw)) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        last = std::move(r);
        break;
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:
        throw std::runtime_error("COPY is not supported by pgfns::testing::query: " + sql);
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

bool is_url(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

// `query` (a=1&b=2) without the parameters named in `keys`.
std::string without_params(std::string_view query, std::initializer_list<std::string_view> keys) {
  std::string out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto param = query.substr(0, amp);
    const auto key = param.substr(0, param.find('='));
    if (!param.empty() && std::find(keys.begin(), keys.end(), key) == keys.end()) {
      if (!out.empty()) out += '&';
      out += param;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

// A value of a keyword/value connection string, quoted.
std::string conninfo_value(std::string_view s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
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

session::session(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
  if (!conn_) throw std::runtime_error("libpq could not allocate a connection");
  if (PQstatus(conn_.get()) != CONNECTION_OK) {
    throw sql_error(
        "cannot connect to " + describe(conn_.get()) + ": " + trimmed(PQerrorMessage(conn_.get())),
        "");
  }
}

std::vector<text_row> session::query(const std::string& sql) {
  return rows_of(run(conn_.get(), sql).get());
}

std::vector<text_row> query(const std::string& url, const std::string& sql) {
  return session(url).query(sql);
}

std::string query_value(const std::string& url, const std::string& sql) {
  const auto rows = query(url, sql);
  if (rows.size() != 1 || rows[0].size() != 1 || !rows[0][0]) {
    throw sql_error("expected one row of one non-NULL column from: " + sql, "");
  }
  return *rows[0][0];
}

std::string url_with_database(std::string_view url, std::string_view dbname) {
  if (!is_url(url)) {
    // Keyword/value form: libpq lets a later keyword override an earlier one.
    return std::string(url) + " dbname=" + conninfo_value(dbname);
  }
  const auto authority_begin = url.find("://") + 3;
  const auto path_begin = std::min(url.find_first_of("/?", authority_begin), url.size());
  std::string out(url.substr(0, path_begin));
  out += '/';
  out += percent_encoded(dbname);
  if (const auto q = url.find('?', path_begin); q != std::string_view::npos) {
    // A dbname parameter would override the path.
    const auto query = without_params(url.substr(q + 1), {"dbname"});
    if (!query.empty()) out += '?' + query;
  }
  return out;
}

std::string url_with_login(std::string_view url, std::string_view user, std::string_view password) {
  if (!is_url(url)) {
    return std::string(url) + " user=" + conninfo_value(user) +
           " password=" + conninfo_value(password);
  }
  const auto authority_begin = url.find("://") + 3;
  const auto authority_end = std::min(url.find_first_of("/?", authority_begin), url.size());
  auto hosts = url.substr(authority_begin, authority_end - authority_begin);
  if (const auto at = hosts.rfind('@'); at != std::string_view::npos) hosts.remove_prefix(at + 1);
  std::string out(url.substr(0, authority_begin));
  out += percent_encoded(user) + ":" + percent_encoded(password) + "@";
  out += hosts;
  const auto rest = url.substr(authority_end);
  const auto q = rest.find('?');
  out += rest.substr(0, q);
  if (q != std::string_view::npos) {
    // user= and password= parameters would override the user info.
    const auto query = without_params(rest.substr(q + 1), {"user", "password"});
    if (!query.empty()) out += "?" + query;
  }
  return out;
}

}  // namespace pgfns::testing

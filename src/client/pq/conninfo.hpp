// Connection parameters: a libpq URL or key=value string plus the settings pgfns applies to
// every connection, as the keyword/value arrays PQconnectStartParams takes. The settings travel
// in the `options` parameter, so applying them costs no round trip; in pooler mode, in a guard
// statement sent with each job (same flight, same transaction). TCP keepalives are on, with
// a probe after 30 s idle, every 10 s, 3 tries (unless the URL says otherwise).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

struct session_settings {
  std::string application_name;                    // used when the URL names none
  std::chrono::milliseconds statement_timeout{0};  // 0: the server's default
  std::chrono::milliseconds idle_in_transaction_timeout{20000};
  bool read_only = false;  // default_transaction_read_only = on
  // Behind a transaction pooler: no session settings (no options parameter); each job runs
  // guard_sql() first instead, in its own transaction, and prepares its statement unnamed.
  bool pooler = false;
};

class conninfo {
 public:
  // Throws std::invalid_argument when `url` does not parse; the message names no password.
  conninfo(std::string_view url, const session_settings& settings);

  const char* const* keywords() const noexcept { return keyword_ptrs_.data(); }
  const char* const* values() const noexcept { return value_ptrs_.data(); }
  // Where the connection goes, for messages: "host:port[/dbname]", never a password. Without
  // a host, "service=NAME" when the URL names a service, else "(default host)".
  const std::string& server() const noexcept { return server_; }
  // A message of libpq's about this connection as one line, with no piece of its password.
  std::string message(std::string_view libpq_text) const;
  // In pooler mode, the statement each job runs before its own, in the same transaction, to
  // apply the settings; empty otherwise.
  const std::string& guard_sql() const noexcept { return guard_sql_; }
  bool pooler() const noexcept { return !guard_sql_.empty(); }
  // The value given for `keyword` ("" when absent), e.g. options or dbname.
  std::string value(std::string_view keyword) const;

 private:
  void set(std::string_view keyword, std::string value);

  std::vector<std::string> keys_;
  std::vector<std::string> vals_;
  std::vector<const char*> keyword_ptrs_;
  std::vector<const char*> value_ptrs_;
  std::string server_;
  std::string guard_sql_;
  std::vector<std::string> secrets_;  // the URL's password texts, masked in messages
  std::string redacted_;              // the URL without its password
};

}  // namespace pgfns::detail

// Errors: the library's own error codes, SQLSTATEs as error codes, and the diagnostics that
// keep the server's message, detail and hint apart from the code.
//
// Every asynchronous operation of pgfns completes with a `boost::system::error_code`:
//  - `pgfns::errc` values (category "pgfns") for what pgfns itself refuses or detects;
//  - SQLSTATEs reported by PostgreSQL (category "pgfns.sqlstate"), built by
//    make_sqlstate_error("23505") and read back by sqlstate_of(ec);
//  - `boost::asio::error::operation_aborted` for a cancelled operation.
// The accompanying `diagnostics` say what failed, where, and what the server said.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <type_traits>

namespace pgfns {

enum class errc {
  unknown_method = 1,  // the method is not in the schema (no SQL sent)
  deprecated_method,   // `call` of a deprecated method (use call_deprecated; no SQL sent)
  wrong_service,       // a write method of another service (no SQL sent); from async_start, a
                       // database_options::service that is not a service of the schema
  bad_arguments,       // arguments that do not fit the method's parameters (count, named keys
                       // not parameters or not ^[a-z0-9_]+_in$), unencodable values (no SQL)
  database_too_old,    // the database version is older than the schema's latest version
  pool_timeout,        // no connection became available within the acquire timeout
  connection_lost,     // the connection broke; a read was retried once and failed again
  outcome_unknown,     // the connection broke during a write: it may or may not have happened
  not_started,         // a call before async_start completed successfully
  shut_down,           // the database was closed or destroyed
  connect_failed,      // the server could not be reached or refused the connection
  server_unavailable,  // the pool's server is unreachable (reconnecting in the background)
  already_started,     // async_start called twice
  protocol_error,      // the server answered something pgfns did not expect
  call_timeout,        // the call's deadline (call_timeout) passed: a read, or a write never sent
  binding_mismatch,    // typed bindings generated for another `args` or `returns` of the method
                       // than the schema loaded has (no SQL sent): regenerate them
};

const boost::system::error_category& error_category() noexcept;
// The short name of a code ("unknown_method"), as printed by the command-line tool.
std::string_view errc_name(errc e) noexcept;
// Prints errc_name(e).
std::ostream& operator<<(std::ostream& os, errc e);

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

// SQLSTATEs as error codes. The five characters [0-9A-Z] are encoded in the int value, so
// `ec == make_sqlstate_error("23505")` compares SQLSTATEs. message() reads
// "SQLSTATE 23505 (integrity constraint violation)": the code and its class name.
const boost::system::error_category& sqlstate_category() noexcept;
// A text that is not five characters of [0-9A-Z] becomes XX000 (internal_error).
boost::system::error_code make_sqlstate_error(std::string_view sqlstate) noexcept;
// The SQLSTATE of a code of sqlstate_category(), "" for any other code.
std::string sqlstate_of(const boost::system::error_code& ec);
// The name of a SQLSTATE's class ("integrity constraint violation" for "23..."), or "" when
// the class is not one PostgreSQL defines.
std::string_view sqlstate_class_name(std::string_view sqlstate) noexcept;

// What went wrong, in words. Filled for every completed call, successful or not (on success
// only `method`, `server` and `pool` are set).
struct diagnostics {
  std::string sqlstate;  // "23505" when the server reported the error, "" otherwise
  std::string message;   // the server's primary message, or pgfns's own explanation
  std::string detail;    // the server's DETAIL, if any
  std::string hint;      // the server's HINT, if any
  std::string method;    // the method called
  std::string server;    // "host:port" (or socket directory) of the server; never a password
  std::string pool;      // "read" or "write": the pool that served (or refused) the call

  void clear() noexcept;
};

// One line for people: "<SQLSTATE or code name>: <message>[ (detail)] [hint]" with the method
// and server appended when known, e.g.
// "23505: duplicate key value violates unique constraint "p" (method add_product, write pool,
// server 127.0.0.1:5432)".
std::string format_error(const boost::system::error_code& ec, const diagnostics& diag);

// The exception for those who prefer exceptions: the code plus the diagnostics.
// what() is format_error(code, diagnostics).
class error : public boost::system::system_error {
 public:
  error(const boost::system::error_code& ec, diagnostics diag);
  const diagnostics& diag() const noexcept { return diag_; }
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  diagnostics diag_;
  std::string what_;
};

}  // namespace pgfns

template <>
struct boost::system::is_error_code_enum<pgfns::errc> : std::true_type {};

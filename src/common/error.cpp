// The library's own error codes, the diagnostics type and the pgfns::error exception.
#include <pgfns/error.hpp>

#include "common/error_line.hpp"

#include <ostream>

namespace pgfns {
namespace {

class error_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "pgfns"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::unknown_method:
        return "no such method in the schema";
      case errc::deprecated_method:
        return "the method is deprecated (call_deprecated allows it)";
      case errc::wrong_service:
        return "the method is another service's write method";
      case errc::bad_arguments:
        return "invalid arguments";
      case errc::database_too_old:
        return "the database is older than the schema";
      case errc::pool_timeout:
        return "timed out waiting for a database connection";
      case errc::connection_lost:
        return "connection to the database server lost";
      case errc::outcome_unknown:
        return "connection lost, outcome unknown";
      case errc::not_started:
        return "the database is not started";
      case errc::shut_down:
        return "the database is shut down";
      case errc::connect_failed:
        return "could not connect to the database server";
      case errc::server_unavailable:
        return "the database server is unavailable";
      case errc::already_started:
        return "the database is already started";
      case errc::protocol_error:
        return "unexpected response from the database server";
      case errc::call_timeout:
        return "the call did not complete before its deadline";
      case errc::binding_mismatch:
        return "the typed bindings do not match the method in the schema";
    }
    return "unknown pgfns error " + std::to_string(ev);
  }
};

}  // namespace

const boost::system::error_category& error_category() noexcept {
  static const error_category_impl instance;
  return instance;
}

std::string_view errc_name(errc e) noexcept {
  switch (e) {
    case errc::unknown_method:
      return "unknown_method";
    case errc::deprecated_method:
      return "deprecated_method";
    case errc::wrong_service:
      return "wrong_service";
    case errc::bad_arguments:
      return "bad_arguments";
    case errc::database_too_old:
      return "database_too_old";
    case errc::pool_timeout:
      return "pool_timeout";
    case errc::connection_lost:
      return "connection_lost";
    case errc::outcome_unknown:
      return "outcome_unknown";
    case errc::not_started:
      return "not_started";
    case errc::shut_down:
      return "shut_down";
    case errc::connect_failed:
      return "connect_failed";
    case errc::server_unavailable:
      return "server_unavailable";
    case errc::already_started:
      return "already_started";
    case errc::protocol_error:
      return "protocol_error";
    case errc::call_timeout:
      return "call_timeout";
    case errc::binding_mismatch:
      return "binding_mismatch";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& os, errc e) {
  return os << errc_name(e);
}

void diagnostics::clear() noexcept {
  sqlstate.clear();
  message.clear();
  detail.clear();
  hint.clear();
  method.clear();
  server.clear();
  pool.clear();
}

std::string format_error(const boost::system::error_code& ec, const diagnostics& diag) {
  std::string out;
  if (!diag.sqlstate.empty())
    out = diag.sqlstate;
  else if (ec.category() == error_category())
    out = errc_name(static_cast<errc>(ec.value()));
  else if (ec.category() == sqlstate_category())
    out = sqlstate_of(ec);
  else
    out = ec.category().name() + (':' + std::to_string(ec.value()));
  out += ": ";
  out += diag.message.empty() ? ec.message() : diag.message;
  if (!diag.detail.empty()) out += " (" + diag.detail + ')';
  if (!diag.hint.empty()) out += " [hint: " + diag.hint + ']';
  std::string where;
  if (!diag.method.empty()) where = "method " + diag.method;
  if (!diag.pool.empty()) where += (where.empty() ? "" : ", ") + diag.pool + " pool";
  if (!diag.server.empty()) where += (where.empty() ? "server " : ", server ") + diag.server;
  if (!where.empty()) out += " (" + where + ')';
  return detail::error_line(out);  // diagnostics filled by a caller may hold line breaks
}

error::error(const boost::system::error_code& ec, diagnostics diag)
    : boost::system::system_error(ec), diag_(std::move(diag)), what_(format_error(ec, diag_)) {}

}  // namespace pgfns

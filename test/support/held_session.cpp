#include "held_session.hpp"

#include "pg_test.hpp"

#include "common/pq_handle.hpp"

namespace pgfns::test {

struct held_session::impl {
  detail::conn_handle conn;
};

held_session::held_session(const std::string& url) : impl_(std::make_unique<impl>()) {
  impl_->conn.reset(PQconnectdb(url.c_str()));
  if (PQstatus(impl_->conn.get()) != CONNECTION_OK) {
    throw sql_error("cannot connect: " + std::string(PQerrorMessage(impl_->conn.get())), "");
  }
}

held_session::~held_session() = default;

std::string held_session::exec(const std::string& sql) {
  detail::result_handle r(PQexec(impl_->conn.get(), sql.c_str()));
  const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    throw sql_error("held session: " + std::string(PQerrorMessage(impl_->conn.get())),
                    state ? state : "");
  }
  if (PQntuples(r.get()) == 0 || PQnfields(r.get()) == 0) return "";
  return PQgetvalue(r.get(), 0, 0);
}

int held_session::pid() const {
  return PQbackendPID(impl_->conn.get());
}

}  // namespace pgfns::test

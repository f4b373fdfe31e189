// RAII owners for libpq handles. Every PGconn and PGresult in pgfns lives in one of these.
#pragma once

#include <libpq-fe.h>

#include <memory>

namespace pgfns::detail {

struct pgconn_deleter {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct pgresult_deleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
struct pgcancel_deleter {
  void operator()(PGcancel* c) const noexcept { PQfreeCancel(c); }
};

using conn_handle = std::unique_ptr<PGconn, pgconn_deleter>;
using result_handle = std::unique_ptr<PGresult, pgresult_deleter>;
using cancel_handle = std::unique_ptr<PGcancel, pgcancel_deleter>;

}  // namespace pgfns::detail

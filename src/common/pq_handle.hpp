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
struct conninfo_options_deleter {
  void operator()(PQconninfoOption* o) const noexcept { PQconninfoFree(o); }
};
struct pq_memory_deleter {  // strings libpq allocates, e.g. PQconninfoParse's error message
  void operator()(char* p) const noexcept { PQfreemem(p); }
};

using conn_handle = std::unique_ptr<PGconn, pgconn_deleter>;
using result_handle = std::unique_ptr<PGresult, pgresult_deleter>;
using cancel_handle = std::unique_ptr<PGcancel, pgcancel_deleter>;
using conninfo_options_handle = std::unique_ptr<PQconninfoOption, conninfo_options_deleter>;
using pq_string_handle = std::unique_ptr<char, pq_memory_deleter>;

}  // namespace pgfns::detail

// A statement that connections prepare once and execute many times: its text, its parameter
// count and, once some connection described it, the parameter types PostgreSQL inferred.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pgfns::detail {

struct statement {
  std::uint32_t id = 0;  // dense, unique within one database: indexes per-connection tables
  std::string text;      // e.g. select * from "get_widget"($1)
  int nparams = 0;
  bool described = false;
  std::vector<Oid> param_types;  // nparams entries once described
};

}  // namespace pgfns::detail

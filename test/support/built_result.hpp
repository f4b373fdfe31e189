// PGresults built in memory with libpq's PQsetResultAttrs / PQsetvalue, the same structure a
// server's answer fills: unit tests of what reads results need no server.
#pragma once

#include "common/pq_handle.hpp"

#include <pgfns/value.hpp>

#include <boost/test/unit_test.hpp>

#include <libpq-fe.h>

#include <optional>
#include <string>
#include <vector>

namespace pgfns::test {

struct result_column {
  std::string name;
  pgfns::oid_t type = 0;
  int format = 0;  // 0 text, 1 binary
};

// A PGRES_TUPLES_OK result with these columns and rows (nullopt: NULL).
inline pgfns::detail::result_handle make_result(
    std::vector<result_column> columns,
    const std::vector<std::vector<std::optional<std::string>>>& rows) {
  pgfns::detail::result_handle res(PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK));
  BOOST_TEST_REQUIRE(res != nullptr);
  std::vector<PGresAttDesc> attrs;
  for (auto& c : columns) attrs.push_back({c.name.data(), 0, 0, c.format, c.type, -1, -1});
  BOOST_TEST_REQUIRE(PQsetResultAttrs(res.get(), static_cast<int>(attrs.size()), attrs.data()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      std::string text = rows[r][c].value_or("");
      const int len = rows[r][c] ? static_cast<int>(text.size()) : -1;
      BOOST_TEST_REQUIRE(
          PQsetvalue(res.get(), static_cast<int>(r), static_cast<int>(c), text.data(), len));
    }
  }
  return res;
}

}  // namespace pgfns::test

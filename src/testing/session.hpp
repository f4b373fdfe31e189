// One blocking connection of the test helpers, for several statements in a row (a poll).
#pragma once

#include <pgfns/testing.hpp>

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

namespace pgfns::testing {

class session {
 public:
  explicit session(const std::string& url);  // throws sql_error
  // As testing::query, on this connection.
  std::vector<text_row> query(const std::string& sql);

 private:
  struct closer {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
  };
  std::unique_ptr<PGconn, closer> conn_;
};

}  // namespace pgfns::testing

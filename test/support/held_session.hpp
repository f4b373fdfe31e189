// One connection a test keeps open across statements: to hold a lock (a table lock in an open
// transaction, an advisory lock) while the code under test runs into it.
#pragma once

#include <memory>
#include <string>

namespace pgfns::test {

class held_session {
 public:
  // Connects to `url`; throws sql_error (pg_test.hpp) when it cannot.
  explicit held_session(const std::string& url);
  ~held_session();
  held_session(const held_session&) = delete;
  held_session& operator=(const held_session&) = delete;

  // Runs `sql` (one or more statements) and returns the first field of the last statement's
  // first row ("" when it returns none). Throws sql_error.
  std::string exec(const std::string& sql);
  int pid() const;  // the server process of this session

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace pgfns::test

// The PostgreSQL server of the integration tests, and a fresh database per test suite.
//
// The server is PGFNS_TEST_DB_URL (plus PGFNS_TEST_READ_URL as its standby, if set) or, when
// that is unset, the throwaway primary + hot standby that ctest's cluster.start fixture wrote
// to $PGFNS_TEST_CLUSTER_DIR/env, with a pgbouncer (transaction pooling) in front of each
// node when pgbouncer is installed (PGFNS_TEST_POOLED_DB_URL and PGFNS_TEST_POOLED_READ_URL
// with an external server). Everything here uses blocking libpq: test support only.
#pragma once

#include <pgfns/testing.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::test {

struct server_urls {
  std::string primary;  // libpq URL of the primary, database "postgres", superuser
  std::string standby;  // the hot standby's, or empty when there is none
  // The same servers through pgbouncer in transaction mode (scripts/pg-cluster --pgbouncer);
  // empty when there is no pooler.
  std::string primary_pooled;
  std::string standby_pooled;
};

// Throws std::runtime_error naming what is missing when no server is configured.
const server_urls& server();
// False when only PGFNS_TEST_DB_URL is given (no standby to read from).
bool has_standby();
// False when the test servers have no pgbouncer in front (not installed, or not configured
// with an external server).
bool has_pooler();

// The blocking SQL helpers are pgfns::testing's (the public test helpers).
using pgfns::testing::percent_encoded;
using pgfns::testing::query;
using pgfns::testing::query_value;
using pgfns::testing::sql_error;
using pgfns::testing::text_row;
using pgfns::testing::url_with_database;

// The servers above as pgfns::testing sees them (test_servers::shared(), pointed at them
// through PGFNS_TEST_DB_URL and PGFNS_TEST_READ_URL when those are unset), for the suites
// written on pgfns/testing.hpp as a service's would be.
pgfns::testing::test_servers& shared_servers();

// A fresh database on the server, named after `label`, this process and a counter (so test
// programs running in parallel never share one); dropped, with its connections, in the
// destructor. The constructor waits until the database exists on the standby too.
class scratch_database {
 public:
  explicit scratch_database(std::string_view label = "t");
  ~scratch_database();
  scratch_database(const scratch_database&) = delete;
  scratch_database& operator=(const scratch_database&) = delete;

  const std::string& name() const { return name_; }
  std::string write_url() const;  // primary, this database (superuser)
  std::string read_url() const;   // standby (or primary when none), this database
  // The same through pgbouncer in transaction mode; throw std::runtime_error, saying how to
  // get one, when the servers have no pooler (has_pooler()).
  std::string pooled_write_url() const;
  std::string pooled_read_url() const;
  // Runs `sql` on the primary in this database (blocking); throws sql_error.
  void exec(const std::string& sql) const;
  // Returns once the standby has replayed everything committed on the primary so far (at
  // once when there is no standby); throws after 10 seconds.
  void wait_for_standby() const;

 private:
  void drop() const noexcept;
  std::string name_;
};

}  // namespace pgfns::test

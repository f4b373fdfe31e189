// A core_database (core_db.hpp) reached through the test servers' pgbouncers in pooler mode:
// the fixture of the integration tests of pooler_mode::transaction.
#pragma once

#include <pgfns/database_options.hpp>

#include "core_db.hpp"
#include "pg_test.hpp"

#include <string>
#include <utility>

namespace pgfns::test {

struct pooled_core_database {
  core_database db{"pooler"};

  // Every URL through the pgbouncers (pooled_write_url() throws, saying why, when the test
  // servers have none), in pooler mode. `read` is the read URL: the pooled standby by default.
  pgfns::database_options pooled(std::string read) const {
    auto o = db.options();
    o.write_url = db.scratch().pooled_write_url();
    o.read_url = std::move(read);
    o.pooler = pgfns::pooler_mode::transaction;
    return o;
  }
  pgfns::database_options pooled() const { return pooled(db.scratch().pooled_read_url()); }
  // Reads and writes through the same pgbouncer, so on the same 2 server connections.
  pgfns::database_options primary_only() const { return pooled(db.scratch().pooled_write_url()); }

  // The rows of table items matching `where`, counted on the primary directly.
  std::string count(const std::string& where) const {
    return query_value(db.scratch().write_url(), "select count(*) from items where " + where);
  }
};

}  // namespace pgfns::test

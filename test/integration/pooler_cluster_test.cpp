// Proves the pgbouncer the integration tests get in front of each server (scripts/pg-cluster
// --pgbouncer, test/support/pg_test.hpp): the pooled URLs reach the primary and the standby in
// any scratch database, and pool transactions, so that more clients than server connections
// work (the test cluster's pool has 2 per database and user).
#include <boost/test/unit_test.hpp>

#include <libpq-fe.h>

#include <cstddef>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "pg_test.hpp"

namespace pt = pgfns::test;

namespace {

// The test cluster always has a pooler when pgbouncer is installed (scripts/setup): without
// one, these tests fail and say why, rather than pass having checked nothing.
void require_pooler() {
  if (!pt::has_pooler()) {
    throw std::runtime_error(
        "no pgbouncer in front of the test servers (scripts/setup installs it; "
        "PGFNS_TEST_POOLED_DB_URL with an external server)");
  }
}

using conn_ptr = std::unique_ptr<PGconn, decltype(&PQfinish)>;

conn_ptr open(const std::string& url) {
  conn_ptr c(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(c.get()) != CONNECTION_OK)
    throw std::runtime_error("cannot connect through the pooler: " +
                             std::string(PQerrorMessage(c.get())));
  return c;
}

std::string value(PGconn* c, const char* sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c, sql), &PQclear);
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK || PQntuples(r.get()) != 1)
    throw std::runtime_error(std::string(sql) + " failed: " + PQerrorMessage(c));
  return PQgetvalue(r.get(), 0, 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pooler_cluster)

BOOST_AUTO_TEST_CASE(pooled_write_url_reaches_the_primary_in_the_scratch_database) {
  require_pooler();
  const pt::scratch_database db("pooled");
  const auto direct = pt::query_value(db.write_url(), "select inet_server_port()");
  BOOST_TEST(db.pooled_write_url() != db.write_url());
  BOOST_TEST(pt::query_value(db.pooled_write_url(),
                             "select current_database() || ' ' || pg_is_in_recovery() || ' ' || "
                             "inet_server_port()") == db.name() + " false " + direct);
}

BOOST_AUTO_TEST_CASE(pooled_read_url_reaches_the_standby) {
  require_pooler();
  if (!pt::has_standby()) return;
  const pt::scratch_database db("pooled");
  const auto direct = pt::query_value(db.read_url(), "select inet_server_port()");
  BOOST_TEST(pt::query_value(db.pooled_read_url(),
                             "select pg_is_in_recovery() || ' ' || inet_server_port()") ==
             "true " + direct);
}

BOOST_AUTO_TEST_CASE(more_clients_than_server_connections) {
  require_pooler();
  const pt::scratch_database db("pooled");
  constexpr int clients = 6;
  std::vector<conn_ptr> open_clients;
  std::set<std::string> backends;
  for (int i = 0; i < clients; ++i) {
    open_clients.push_back(open(db.pooled_write_url()));
    backends.insert(value(open_clients.back().get(), "select pg_backend_pid()::text"));
  }
  // Every client is still connected, yet they shared fewer server connections.
  for (auto& c : open_clients) BOOST_TEST(value(c.get(), "select 1") == "1");
  BOOST_TEST(backends.size() < static_cast<std::size_t>(clients));
  const auto server_side =
      pt::query_value(db.write_url(), "select count(*) from pg_stat_activity where datname = '" +
                                          db.name() + "' and pid <> pg_backend_pid()");
  BOOST_TEST(std::stoi(server_side) < clients);
}

BOOST_AUTO_TEST_SUITE_END()

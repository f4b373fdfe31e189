// A service's own test built on the installed pgfns::testing (test/package/consumers): with no
// PGFNS_TEST_DB_URL, test_servers starts a throwaway primary + standby with the installed
// pg-cluster (PGFNS_PG_CLUSTER); a test_database of DB_DIR serves the catalog service as its own
// user, which creates a product and reads it back from the standby.
//
//   pgfns_testing_consumer DB_DIR
//
// Exits 0 when the product reads back and the servers went away; otherwise prints why, exits 1.
#include <pgfns/database.hpp>
#include <pgfns/result.hpp>
#include <pgfns/testing.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>
#include <memory>
#include <string>

namespace {

boost::asio::awaitable<std::string> create_and_read(pgfns::database& db) {
  co_await db.async_start();
  const pgfns::result made =
      co_await db.call("create_product", "testing-1", "Tested", "", 1.5, 2, nullptr, nullptr);
  if (made.size() != 1) co_return "";
  const auto id = made[0].at("product_id").to_number<int>();
  // The standby may lag: ask until it has the row (the helpers wait for it before a check, a
  // service's own read does not).
  for (int attempt = 0; attempt < 500; ++attempt) {
    const pgfns::result r = co_await db.call("get_product", id);
    if (r.size() == 1) co_return std::string(r[0].at("sku").as_string());
  }
  co_return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: pgfns_testing_consumer DB_DIR\n";
    return 2;
  }
  try {
    std::string primary;
    {
      pgfns::testing::test_servers servers;
      primary = servers.primary_url();
      if (!servers.started_here() || servers.standby_url().empty()) {
        std::cerr << "test_servers did not start a primary and a standby of its own\n";
        return 1;
      }
      pgfns::testing::test_database db(servers, std::make_shared<const pgfns::schema>(
                                                    pgfns::schema::from_db_directory(argv[1])));
      boost::asio::io_context ioc;
      auto catalog = db.open(ioc.get_executor(), "catalog");
      std::string sku;
      std::exception_ptr failure;
      boost::asio::co_spawn(ioc, create_and_read(catalog),
                            [&](std::exception_ptr e, std::string s) {
                              failure = e;
                              sku = std::move(s);
                              ioc.stop();  // the database's connections would keep it running
                            });
      ioc.run();
      if (failure) std::rethrow_exception(failure);
      if (sku != "testing-1") {
        std::cerr << "the catalog read back '" << sku << "', not testing-1\n";
        return 1;
      }
      std::cout << "product testing-1 made and read back through " << db.name() << "\n";
    }
    try {
      pgfns::testing::query(primary + "?connect_timeout=5", "select 1");
      std::cerr << "the throwaway primary still answers after test_servers ended\n";
      return 1;
    } catch (const pgfns::testing::sql_error&) {
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "pgfns_testing_consumer: " << e.what() << "\n";
    return 1;
  }
}

// A program built on pgfns the way a project outside this tree builds it (find_package,
// add_subdirectory or pkg-config; see test/package/consumers): as the example shop's catalog
// service, it reads one product (db/) on the read pool and checks its sku.
//
//   pgfns_consumer DB_DIR WRITE_URL READ_URL PRODUCT_ID SKU
//
// Exits 0 when get_product(PRODUCT_ID) returns one row whose sku is SKU; otherwise prints why
// on stderr and exits 1.
#include <pgfns/database.hpp>
#include <pgfns/schema.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include <exception>
#include <iostream>
#include <memory>
#include <string>

namespace asio = boost::asio;

namespace {

asio::awaitable<bool> read_product(pgfns::database_options o, int product_id, std::string sku) {
  pgfns::database db(co_await asio::this_coro::executor, std::move(o));
  co_await db.async_start();
  const pgfns::result r = co_await db.call("get_product", product_id);
  const boost::json::string* found = r.size() == 1 ? r[0].at("sku").if_string() : nullptr;
  if (found == nullptr || *found != sku) {
    std::cerr << "get_product(" << product_id << ") returned " << r.rows << ", expected one row"
              << " with sku " << boost::json::value(sku) << "\n";
    co_return false;
  }
  std::cout << "get_product(" << product_id << ") answered by " << r.diag.server << ": " << r[0]
            << "\n";
  co_return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: " << argv[0] << " DB_DIR WRITE_URL READ_URL PRODUCT_ID SKU\n";
    return 2;
  }
  try {
    pgfns::database_options o;
    o.schema = std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(argv[1]));
    o.service = "catalog";
    o.write_url = argv[2];
    o.read_url = argv[3];
    bool ok = false;
    asio::io_context ioc;
    asio::co_spawn(ioc, read_product(std::move(o), std::stoi(argv[4]), argv[5]),
                   [&ok](std::exception_ptr e, bool result) {
                     if (e) std::rethrow_exception(e);
                     ok = result;
                   });
    ioc.run();
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

// The main() of the programs built on pgfns the way projects outside this tree build it
// (test/package/consumers): each reads one product of the example shop (db/) as its catalog
// service, with its own check of what it read.
//
//   PROGRAM DB_DIR WRITE_URL READ_URL PRODUCT_ID SKU
//
// run() exits 0 when the check holds; otherwise the check says why on stderr (or run() prints
// the exception) and it exits 1; 2 for a wrong command line.
#pragma once

#include <pgfns/database.hpp>
#include <pgfns/schema.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <utility>

namespace pgfns_consumer {

// Reads product `product_id`, whose sku should be `sku`, through `db` (started); true when what
// it read is right, else false after saying why on stderr.
using check = boost::asio::awaitable<bool> (*)(pgfns::database& db, int product_id,
                                               std::string sku);

inline boost::asio::awaitable<bool> start_and_check(pgfns::database_options o, int product_id,
                                                    std::string sku, check read) {
  pgfns::database db(co_await boost::asio::this_coro::executor, std::move(o));
  co_await db.async_start();
  co_return co_await read(db, product_id, std::move(sku));
}

inline int run(int argc, char** argv, check read) {
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
    boost::asio::io_context ioc;
    boost::asio::co_spawn(ioc, start_and_check(std::move(o), std::stoi(argv[4]), argv[5], read),
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

}  // namespace pgfns_consumer

// Must not compile: the orders service's bindings have no function for create_product, a write
// method of the catalog service. Reading the catalog's products through them compiles.
#include "orders.hpp"

boost::asio::awaitable<void> use_bindings(pgfns::database& db);

boost::asio::awaitable<void> use_bindings(pgfns::database& db) {
  const auto rows = co_await shop::orders::get_product(db, 1);  // another service's read method
  (void)rows;
  const auto refused =
      co_await shop::orders::create_product(db, "sku", "name", "text", pgfns::numeric("1"), 1,
                                            boost::json::object(), std::vector<std::string>());
  (void)refused;
}

// Must not compile: set_order_status takes an order id and a status, and the status is missing.
#include "orders.hpp"

void use_bindings(pgfns::database& db);

void use_bindings(pgfns::database& db) {
  const auto refused = shop::orders::set_order_status(db, pgfns::uuid{});
  (void)refused;
}

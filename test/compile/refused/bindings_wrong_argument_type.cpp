// Must not compile: get_product takes its product id as an integer, and a text is given.
#include "catalog.hpp"

#include <string>

void use_bindings(pgfns::database& db);

void use_bindings(pgfns::database& db) {
  const auto refused = shop::catalog::get_product(db, std::string("1"));
  (void)refused;
}

// Compiled by the find_package consumer (test/package/find_package) against the bindings that
// pgfns_generate makes with the installed tool for the example shop's catalog service: a read
// of one product through them, which must compile with the consumer's -Wall -Wextra -Werror.
#include "catalog.hpp"

#include <cstdint>
#include <vector>

boost::asio::awaitable<std::size_t> count_product_rows(pgfns::database& db, std::int32_t id);

boost::asio::awaitable<std::size_t> count_product_rows(pgfns::database& db, std::int32_t id) {
  const std::vector<shop::catalog::get_product_row> rows =
      co_await shop::catalog::get_product(db, id);
  co_return rows.size();
}

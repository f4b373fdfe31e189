// Built by the find_package consumer (test/package/find_package) on the bindings that
// pgfns_generate makes with the installed tool for the example shop's catalog service: as that
// service, it reads one product on the read pool through shop::catalog::get_product, reads it
// again through db.call, and checks that the row of the bindings holds what the server gave
// db.call, column by column, and that its sku is SKU. It must compile with the consumer's
// -Wall -Wextra -Werror.
//
//   pgfns_bindings_consumer DB_DIR WRITE_URL READ_URL PRODUCT_ID SKU
//
// Exits 0 when both give one row and they agree; otherwise prints each difference on stderr
// and exits 1.
#include "catalog.hpp"
#include "consumer_main.hpp"

#include <pgfns/database.hpp>
#include <pgfns/error.hpp>
#include <pgfns/result.hpp>
#include <pgfns/text_format.hpp>
#include <pgfns/types.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/json.hpp>

#include <cstdint>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace json = boost::json;

namespace {

// Whether db.call's JSON for a column is the value the bindings read (README, "Values": an
// integer is an int64, a numeric its exact text, a timestamptz PostgreSQL's text with a 'T'
// for the space between date and time).
bool same(const json::value& j, std::int32_t v) {
  return j.is_int64() && j.get_int64() == v;
}
bool same(const json::value& j, bool v) {
  return j.is_bool() && j.get_bool() == v;
}
bool same(const json::value& j, const std::string& v) {
  return j.is_string() && j.get_string() == v;
}
bool same(const json::value& j, const pgfns::numeric& v) {
  return j.is_string() && j.get_string() == v.str();
}
bool same(const json::value& j, const pgfns::timestamptz& v) {
  if (!j.is_string()) return false;
  std::string text(j.get_string());
  if (text.size() > 10 && text[10] == 'T') text[10] = ' ';
  try {
    return pgfns::text_format<pgfns::timestamptz>::read(text) == v;
  } catch (const std::invalid_argument&) {
    return false;
  }
}

// One column of the row: a line for `differences` when the two disagree.
template <class T>
void compare(std::string_view column, const std::optional<T>& typed, const json::object& row,
             std::vector<std::string>& differences) {
  const json::value* j = row.if_contains(column);
  const bool agree = j != nullptr && (typed ? !j->is_null() && same(*j, *typed) : j->is_null());
  if (agree) return;
  std::string shown = "NULL";
  if (typed) {
    shown.clear();
    pgfns::text_format<T>::write(*typed, shown);
  }
  differences.push_back("column " + std::string(column) + ": the bindings read " + shown +
                        ", db.call " + (j ? json::serialize(*j) : "has no such column"));
}

boost::asio::awaitable<bool> read_through_bindings(pgfns::database& db, int product_id,
                                                   std::string sku) {
  auto [ec, typed] = co_await shop::catalog::get_product(
      db, product_id, boost::asio::as_tuple(boost::asio::deferred));
  if (ec) {
    std::cerr << "get_product(" << product_id
              << ") through the bindings failed: " << pgfns::format_error(ec, typed.diag) << "\n";
    co_return false;
  }
  const std::vector<shop::catalog::get_product_row>& rows = typed.value;
  const pgfns::result server = co_await db.call("get_product", product_id);
  if (rows.size() != 1 || server.size() != 1) {
    std::cerr << "get_product(" << product_id << "): " << rows.size()
              << " rows through the bindings, " << server.size()
              << " through db.call; expected one each\n";
    co_return false;
  }
  const shop::catalog::get_product_row& p = rows[0];
  std::vector<std::string> differences;
  compare("product_id", p.product_id, server[0], differences);
  compare("sku", p.sku, server[0], differences);
  compare("name", p.name, server[0], differences);
  compare("price", p.price, server[0], differences);
  compare("stock", p.stock, server[0], differences);
  compare("active", p.active, server[0], differences);
  compare("updated", p.updated, server[0], differences);
  if (server[0].size() != 7) {
    differences.push_back("db.call gave " + std::to_string(server[0].size()) +
                          " columns, the bindings' row has 7");
  }
  if (p.sku != sku) differences.push_back("the sku is not " + json::serialize(json::value(sku)));
  if (!differences.empty()) {
    std::cerr << "get_product(" << product_id << ") through the bindings differs from db.call's "
              << server[0] << ":\n";
    for (const std::string& d : differences) std::cerr << "  " << d << "\n";
    co_return false;
  }
  std::cout << "get_product(" << product_id << ") through the bindings, answered by "
            << typed.diag.server << ", column by column as db.call reads it: " << server[0] << "\n";
  co_return true;
}

}  // namespace

int main(int argc, char** argv) {
  return pgfns_consumer::run(argc, argv, read_through_bindings);
}

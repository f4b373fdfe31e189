// The calls of the soak run (bench/soak.cpp): a fixed mix of reads, writes and calls that must
// fail, on the methods of db/ (service `catalog`, products 1..rows seeded by bench/seed.sql),
// each with the outcome it must have. Anything else is an unexpected outcome.
#pragma once

#include "call_spec.hpp"  // random_source

#include <pgfns/result.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/system/error_code.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace pgfns::bench {

enum class soak_kind {
  get_product,          // read, one row with that id
  get_product_named,    // the same with a named argument
  get_product_missing,  // read of an id past the seeded ones: no row
  product_details,      // read, one row of 14 columns (jsonb, text[], bytea, uuid, ...)
  list_products,        // read, a page of 10 consecutive ids (list_products_after)
  set_stock,            // write, one row with the new stock
  negative_stock,       // write that the table's check refuses: SQLSTATE 23514
  stock_of_missing,     // write to an id past the seeded ones: SQLSTATE P0002
  unknown_method,       // refused before any SQL: errc::unknown_method
  count                 // number of kinds
};

std::string_view to_string(soak_kind k) noexcept;

struct soak_call {
  soak_kind kind = soak_kind::get_product;
  std::string_view method;
  std::variant<boost::json::array, boost::json::object> args;
  std::int64_t id = 0;     // the product id the call is about (the first of a page)
  std::int64_t stock = 0;  // set_stock's new value
};

// The next call of the mix (per 100 calls: 45 get_product, 5 named, 2 missing, 10 details,
// 5 list_products, 25 set_stock, 4 negative stock, 2 missing product, 2 unknown method).
soak_call next_soak_call(random_source& rng, std::int64_t rows);

// "" when (ec, r) is what `call` must give; otherwise what was wrong.
std::string check_soak_outcome(const soak_call& call, const boost::system::error_code& ec,
                               const pgfns::result& r);

}  // namespace pgfns::bench

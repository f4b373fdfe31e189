#include "soak_calls.hpp"

#include <pgfns/error.hpp>

#include <array>

namespace pgfns::bench {

namespace {

// Out of every 100 calls, how many of each kind (in soak_kind order).
constexpr std::array<int, static_cast<std::size_t>(soak_kind::count)> shares = {45, 5, 2, 10, 5,
                                                                                25, 4, 2, 2};
static_assert([] {
  int sum = 0;
  for (int s : shares) sum += s;
  return sum == 100;
}());

constexpr std::int64_t page = 10;

soak_kind pick(random_source& rng) {
  auto r = static_cast<int>(rng.below(100));
  for (std::size_t k = 0; k < shares.size(); ++k) {
    if (r < shares[k]) return static_cast<soak_kind>(k);
    r -= shares[k];
  }
  return soak_kind::get_product;
}

std::string sqlstate_expected(std::string_view want, const boost::system::error_code& ec,
                              const pgfns::result& r) {
  if (ec == pgfns::make_sqlstate_error(want) && r.diag.sqlstate == want) return {};
  return "expected SQLSTATE " + std::string(want) + ", got " + ec.message() + " " + r.diag.message;
}

std::string one_row_with_id(const soak_call& c, const pgfns::result& r) {
  if (r.size() != 1) return "expected 1 row, got " + std::to_string(r.size());
  const auto* id = r[0].if_contains("product_id");
  if (!id || !id->is_int64() || id->as_int64() != c.id) {
    return "expected product_id " + std::to_string(c.id);
  }
  return {};
}

}  // namespace

std::string_view to_string(soak_kind k) noexcept {
  switch (k) {
    case soak_kind::get_product:
      return "get_product";
    case soak_kind::get_product_named:
      return "get_product_named";
    case soak_kind::get_product_missing:
      return "get_product_missing";
    case soak_kind::product_details:
      return "product_details";
    case soak_kind::list_products:
      return "list_products";
    case soak_kind::set_stock:
      return "set_stock";
    case soak_kind::negative_stock:
      return "negative_stock";
    case soak_kind::stock_of_missing:
      return "stock_of_missing";
    case soak_kind::unknown_method:
      return "unknown_method";
    case soak_kind::count:
      break;
  }
  return "?";
}

soak_call next_soak_call(random_source& rng, std::int64_t rows) {
  soak_call c;
  c.kind = pick(rng);
  c.id = 1 + rng.below(rows);
  switch (c.kind) {
    case soak_kind::get_product:
    case soak_kind::get_product_missing:
      if (c.kind == soak_kind::get_product_missing) c.id = rows + 1 + rng.below(1000);
      c.method = "get_product";
      c.args = boost::json::array{c.id};
      break;
    case soak_kind::get_product_named:
      c.method = "get_product";
      c.args = boost::json::object{{"product_id_in", c.id}};
      break;
    case soak_kind::product_details:
      c.method = "get_product_details";
      c.args = boost::json::array{c.id};
      break;
    case soak_kind::list_products:
      c.id = 1 + rng.below(rows > page ? rows - page : 1);
      c.method = "list_products_after";
      c.args = boost::json::array{c.id - 1, page};
      break;
    case soak_kind::set_stock:
    case soak_kind::negative_stock:
    case soak_kind::stock_of_missing:
      c.stock = c.kind == soak_kind::negative_stock ? -1 - rng.below(1000) : rng.below(1000000);
      if (c.kind == soak_kind::stock_of_missing) c.id = rows + 1 + rng.below(1000);
      c.method = "set_stock";
      c.args = boost::json::array{c.id, c.stock};
      break;
    case soak_kind::unknown_method:
      c.method = "get_product; drop table products";
      c.args = boost::json::array{c.id};
      break;
    case soak_kind::count:
      break;
  }
  return c;
}

std::string check_soak_outcome(const soak_call& c, const boost::system::error_code& ec,
                               const pgfns::result& r) {
  const bool must_fail = c.kind == soak_kind::negative_stock ||
                         c.kind == soak_kind::stock_of_missing ||
                         c.kind == soak_kind::unknown_method;
  if (ec && !must_fail) return ec.message() + ": " + r.diag.message;
  switch (c.kind) {
    case soak_kind::get_product:
    case soak_kind::get_product_named:
    case soak_kind::product_details:
      return one_row_with_id(c, r);
    case soak_kind::get_product_missing:
      return r.empty() ? std::string() : "expected no row, got " + std::to_string(r.size());
    case soak_kind::list_products:
      if (r.size() != static_cast<std::size_t>(page)) {
        return "expected " + std::to_string(page) + " rows, got " + std::to_string(r.size());
      }
      for (std::size_t i = 0; i < r.size(); ++i) {
        const auto* id = r[i].if_contains("product_id");
        if (!id || !id->is_int64() || id->as_int64() != c.id + static_cast<std::int64_t>(i)) {
          return "row " + std::to_string(i) + " is not product " + std::to_string(c.id + i);
        }
      }
      return {};
    case soak_kind::set_stock: {
      if (auto bad = one_row_with_id(c, r); !bad.empty()) return bad;
      const auto* stock = r[0].if_contains("stock");
      if (!stock || !stock->is_int64() || stock->as_int64() != c.stock) {
        return "expected stock " + std::to_string(c.stock);
      }
      return {};
    }
    case soak_kind::negative_stock:
      return sqlstate_expected("23514", ec, r);
    case soak_kind::stock_of_missing:
      return sqlstate_expected("P0002", ec, r);
    case soak_kind::unknown_method:
      if (ec == pgfns::errc::unknown_method) return {};
      return "expected unknown_method, got " + (ec ? ec.message() : std::string("success"));
    case soak_kind::count:
      break;
  }
  return "unknown call kind";
}

}  // namespace pgfns::bench

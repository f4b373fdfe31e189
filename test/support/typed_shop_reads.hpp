// The read methods of db/ called through one service's bindings and through db.call with the
// same arguments, compared (typed_rows.hpp). Every service's bindings hold every read method,
// so each service runs these; the bindings' functions come in as callables, made with
// PGFNS_BINDING(shop::orders::get_product) and the like.
#pragma once

#include "core_db.hpp"
#include "typed_rows.hpp"

#include <pgfns/database.hpp>
#include <pgfns/types.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

// A generated function as a callable (they are templates, so they have no address to take).
#define PGFNS_BINDING(F) [](auto&&... a) { return F(std::forward<decltype(a)>(a)...); }

namespace pgfns::test {

// What the cases made, for the reads to find.
struct shop_data {
  std::int32_t product = 0;     // every column set
  std::int32_t bare = 0;        // made with NULL attributes and tags, image NULL, off sale
  std::string order;            // alice's first order, its uuid as db.call gives it
  std::string customer;         // its customer
  pgfns::timestamptz placed{};  // when it was placed (typed)
  std::string placed_text;      // the same as db.call gives it
};

inline constexpr std::int32_t missing_product = 999999;
inline constexpr const char* missing_order = "00000000-0000-4000-8000-000000000000";

inline boost::json::value json_of(const std::optional<std::int32_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

// get_product, get_product_details, list_products_after and the deprecated list_products.
// `sqlstate`: what every call must fail with, "" when they must succeed.
template <class Get, class Details, class After, class List>
boost::asio::awaitable<void> compare_catalog_reads(pgfns::database& d, comparison& c,
                                                   const shop_data& s, std::string_view sqlstate,
                                                   Get get, Details details, After after,
                                                   List list) {
  const bool ok = sqlstate.empty();
  for (const std::optional<std::int32_t> id :
       {std::optional(s.product), std::optional(s.bare), std::optional(missing_product),
        std::optional<std::int32_t>()}) {
    const std::size_t rows = ok && id && *id != missing_product ? 1 : 0;
    auto [te, t] = co_await get(d, id, as_tuple);
    auto [de, r] = co_await d.call("get_product", json_of(id), as_tuple);
    c.same(te, t, de, r, sqlstate, rows);
    auto [te2, t2] = co_await details(d, id, as_tuple);
    auto [de2, r2] = co_await d.call("get_product_details", json_of(id), as_tuple);
    c.same(te2, t2, de2, r2, sqlstate, rows);
  }
  auto [te3, t3] = co_await after(d, std::nullopt, 50, as_tuple);
  auto [de3, r3] = co_await d.call("list_products_after", nullptr, 50, as_tuple);
  c.same(te3, t3, de3, r3, sqlstate);
  auto [te4, t4] = co_await after(d, s.product, std::nullopt, as_tuple);
  auto [de4, r4] = co_await d.call("list_products_after", s.product, nullptr, as_tuple);
  c.same(te4, t4, de4, r4, sqlstate, ok ? 1 : 0);
  auto [te5, t5] = co_await list(d, 0, std::nullopt, as_tuple);
  auto [de5, r5] = co_await d.call_deprecated("list_products", 0, nullptr, as_tuple);
  c.same(te5, t5, de5, r5, sqlstate, ok ? 2 : 0);
}

// get_order, get_order_lines and list_customer_orders (with and without a NULL `before_in`).
template <class Get, class Lines, class List>
boost::asio::awaitable<void> compare_order_reads(pgfns::database& d, comparison& c,
                                                 const shop_data& s, std::string_view sqlstate,
                                                 Get get, Lines lines, List list) {
  const bool ok = sqlstate.empty();
  for (const char* id : {s.order.c_str(), missing_order}) {
    const bool there = ok && id == s.order.c_str();
    auto [te, t] = co_await get(d, pgfns::uuid::parse(id), as_tuple);
    auto [de, r] = co_await d.call("get_order", id, as_tuple);
    c.same(te, t, de, r, sqlstate, there ? 1 : 0);
    auto [te2, t2] = co_await lines(d, pgfns::uuid::parse(id), as_tuple);
    auto [de2, r2] = co_await d.call("get_order_lines", id, as_tuple);
    c.same(te2, t2, de2, r2, sqlstate, there ? 2 : 0);
  }
  auto [te3, t3] = co_await list(d, s.customer, std::nullopt, std::nullopt, as_tuple);
  auto [de3, r3] = co_await d.call("list_customer_orders", s.customer, nullptr, nullptr, as_tuple);
  c.same(te3, t3, de3, r3, sqlstate, ok ? 2 : 0);
  // Before its first order: nothing; then a page of one, from the newest.
  auto [te4, t4] = co_await list(d, s.customer, s.placed, 10, as_tuple);
  auto [de4, r4] = co_await d.call("list_customer_orders", s.customer, s.placed_text, 10, as_tuple);
  c.same(te4, t4, de4, r4, sqlstate, 0);
  auto [te5, t5] = co_await list(d, s.customer, std::nullopt, 1, as_tuple);
  auto [de5, r5] = co_await d.call("list_customer_orders", s.customer, nullptr, 1, as_tuple);
  c.same(te5, t5, de5, r5, sqlstate, ok ? 1 : 0);
}

// sales_by_product and order_totals: since the first order (rows), since NULL (none), and
// order_totals of a time with no order yet (NULL first_placed and last_placed).
template <class Sales, class Totals>
boost::asio::awaitable<void> compare_report_reads(pgfns::database& d, comparison& c,
                                                  const shop_data& s, std::string_view sqlstate,
                                                  Sales sales, Totals totals) {
  const bool ok = sqlstate.empty();
  auto [te, t] = co_await sales(d, s.placed, 10, as_tuple);
  auto [de, r] = co_await d.call("sales_by_product", s.placed_text, 10, as_tuple);
  c.same(te, t, de, r, sqlstate, ok ? 1 : 0);
  auto [te2, t2] = co_await sales(d, std::nullopt, 10, as_tuple);
  auto [de2, r2] = co_await d.call("sales_by_product", nullptr, 10, as_tuple);
  c.same(te2, t2, de2, r2, sqlstate, 0);
  auto [te3, t3] = co_await totals(d, s.placed, as_tuple);
  auto [de3, r3] = co_await d.call("order_totals", s.placed_text, as_tuple);
  c.same(te3, t3, de3, r3, sqlstate, ok ? 1 : 0);
  using namespace std::chrono;
  const pgfns::timestamptz later{sys_days{year{2999} / 1 / 1}};
  auto [te4, t4] = co_await totals(d, later, as_tuple);
  auto [de4, r4] = co_await d.call("order_totals", "2999-01-01T00:00:00Z", as_tuple);
  c.same(te4, t4, de4, r4, sqlstate, ok ? 1 : 0);
  if (ok && t4.value.size() == 1) {
    BOOST_TEST(!t4.value[0].first_placed.has_value());
    BOOST_TEST(!t4.value[0].last_placed.has_value());
    BOOST_TEST(shown(t4.value[0].order_count) == "0");
  }
}

}  // namespace pgfns::test

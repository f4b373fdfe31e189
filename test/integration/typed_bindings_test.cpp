// Every method of db/ through the bindings `pgfns generate` makes for each of its services
// (test/CMakeLists.txt runs pgfns_generate for catalog, orders and reports), each service
// connecting as its own user, against db.call with the same arguments on the same data: the
// same rows and values (numeric text, timestamptz instants, uuid, text[], jsonb, bytea,
// booleans, bigint), NULL columns and NULL arguments (std::nullopt) alike, the same errors, and
// the effects of write and void methods as db.call reads them back. A service's bindings hold
// its own methods and every other service's read methods: each service calls all of them, and
// the last case fails when one that the schema lists was not called or never gave data.
#include "core_db.hpp"
#include "typed_rows.hpp"
#include "typed_shop_reads.hpp"
#include "upgrade_test.hpp"

#include <catalog.hpp>
#include <orders.hpp>
#include <reports.hpp>

#include <pgfns/database.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <memory>
#include <set>
#include <string>

using boost::asio::awaitable;
using pgfns::test::as_tuple;
using pgfns::test::comparison;
namespace json = boost::json;

namespace {

// db/ at its latest version in a database of its own, with the service users.
struct shop_database {
  pgfns::test::service_roles roles{"typed"};
  pgfns::test::scratch_database db{"typed"};
  std::shared_ptr<const pgfns::schema> schema = std::make_shared<const pgfns::schema>(
      pgfns::schema::from_db_directory(pgfns::test::shop_db()));
  pgfns::test::coverage record;
  pgfns::test::shop_data data;

  shop_database() { pgfns::upgrade(*schema, pgfns::test::options_for(db, roles.prefix())); }

  // As the service's own user; reads on read-only connections of the primary, so that a read
  // right after a write sees it.
  pgfns::database_options options(const std::string& service) const {
    pgfns::database_options o;
    o.schema = schema;
    o.service = service;
    o.write_url = db.write_url() + "?user=" + roles.prefix() + "_" + service;
    o.write_pool_size = 2;
    o.read_pool_size = 2;
    return o;
  }
};

struct global_shop {
  static inline shop_database* shop = nullptr;
  global_shop() { shop = new shop_database(); }
  ~global_shop() { delete shop; }
};
BOOST_TEST_GLOBAL_FIXTURE(global_shop);

shop_database& fixture() {
  return *global_shop::shop;
}

const pgfns::bytea image_bytes{std::byte{0x00}, std::byte{0xff}, std::byte{'\\'},
                               std::byte{'\''}, std::byte{0x0a}, std::byte{'x'}};

json::value attributes() {
  return json::parse(R"({"colour": "red", "sizes": [1, 2.5, true, null], "nested": {"a": "b"}})");
}

// place_order's lines: `quantity` of product `id`, then one more.
json::value lines(std::int32_t id, int quantity) {
  return json::array{json::object{{"product_id", id}, {"quantity", quantity}},
                     json::object{{"product_id", id}, {"quantity", 1}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(typed_bindings)

// The catalog's write methods, then every read method through the catalog's bindings.
BOOST_AUTO_TEST_CASE(catalog) {
  pgfns::test::run_with_database(
      fixture().options("catalog"), [](pgfns::database& d) -> awaitable<void> {
        namespace cat = shop::catalog;
        comparison c("catalog", fixture().record);
        auto& s = fixture().data;
        // create_product with every argument, then with NULL attributes and tags (none).
        const std::vector<std::string> tags{"a b", "c\"d", "\\e", "{f}", "", "é", "NULL"};
        auto [e1, made] =
            co_await cat::create_product(d, "typed-1", "Typed one", "every column",
                                         pgfns::numeric("12.50"), 7, attributes(), tags, as_tuple);
        BOOST_TEST_REQUIRE(made.value.size() == 1u, pgfns::format_error(e1, made.diag));
        s.product = made.value[0].product_id.value();
        c.same_as_read_back(e1, made, co_await d.call("get_product_details", s.product));
        auto [e2, bare] =
            co_await cat::create_product(d, "typed-2", "Typed two", "", pgfns::numeric("0.5"), 0,
                                         std::nullopt, std::nullopt, as_tuple);
        BOOST_TEST_REQUIRE(bare.value.size() == 1u, pgfns::format_error(e2, bare.diag));
        s.bare = bare.value[0].product_id.value();
        const pgfns::result bare_back = co_await d.call("get_product_details", s.bare);
        c.same_as_read_back(e2, bare, bare_back);
        BOOST_TEST(bare_back[0].at("attributes") == json::object());
        BOOST_TEST(bare_back[0].at("tags") == json::array());
        // A NULL the table refuses fails alike (23502), and so does a second sku (23505).
        auto [e3, n3] =
            co_await cat::create_product(d, "typed-3", std::nullopt, "", pgfns::numeric("1"), 1,
                                         std::nullopt, std::nullopt, as_tuple);
        auto [f3, r3] = co_await d.call("create_product", "typed-3", nullptr, "", "1", 1, nullptr,
                                        nullptr, as_tuple);
        c.same_failure(e3, n3.diag, f3, r3.diag, "23502");
        auto [e4, n4] = co_await cat::create_product(d, "typed-1", "again", "", pgfns::numeric("1"),
                                                     1, std::nullopt, std::nullopt, as_tuple);
        auto [f4, r4] = co_await d.call("create_product", "typed-1", "again", "", "1", 1, nullptr,
                                        nullptr, as_tuple);
        c.same_failure(e4, n4.diag, f4, r4.diag, "23505");

        // set_stock returns (product_id, stock, revision), as get_product_details reads them.
        auto [e5, stock] = co_await cat::set_stock(d, s.product, 42, as_tuple);
        c.same_as_read_back(e5, stock, co_await d.call("get_product_details", s.product));
        BOOST_TEST(pgfns::test::shown(stock.value.at(0).revision) == "2");
        auto [e6, negative] = co_await cat::set_stock(d, s.bare, -1, as_tuple);
        auto [f6, r6] = co_await d.call("set_stock", s.bare, -1, as_tuple);
        c.same_failure(e6, negative.diag, f6, r6.diag, "23514");
        auto [e7, nobody] = co_await cat::set_stock(d, pgfns::test::missing_product, 1, as_tuple);
        auto [f7, r7] = co_await d.call("set_stock", pgfns::test::missing_product, 1, as_tuple);
        c.same_failure(e7, nobody.diag, f7, r7.diag, "P0002");

        // The void methods: an image, then NULL (none); a product taken off sale.
        auto [e8, image] = co_await cat::set_product_image(d, s.product, image_bytes, as_tuple);
        const pgfns::result with_image = co_await d.call("get_product_details", s.product);
        c.void_call(e8, image,
                    with_image[0].at("image") == json::value(pgfns::test::bytea_hex(image_bytes)));
        auto [e9, cleared] = co_await cat::set_product_image(d, s.bare, std::nullopt, as_tuple);
        const pgfns::result without = co_await d.call("get_product_details", s.bare);
        c.void_call(
            e9, cleared,
            without[0].at("image").is_null() && without[0].at("revision") == json::value(2));
        auto [e10, off] = co_await cat::set_product_active(d, s.bare, false, as_tuple);
        const pgfns::result inactive = co_await d.call("get_product", s.bare);
        c.void_call(e10, off, inactive[0].at("active") == json::value(false));
        auto [e11, gone] =
            co_await cat::set_product_active(d, pgfns::test::missing_product, true, as_tuple);
        auto [f11, r11] =
            co_await d.call("set_product_active", pgfns::test::missing_product, true, as_tuple);
        c.same_failure(e11, gone.diag, f11, r11.diag, "P0002");

        co_await pgfns::test::compare_catalog_reads(
            d, c, s, "", PGFNS_BINDING(cat::get_product), PGFNS_BINDING(cat::get_product_details),
            PGFNS_BINDING(cat::list_products_after), PGFNS_BINDING(cat::deprecated::list_products));
        // The catalog's user has no grant on the orders' tables: both paths fail with 42501.
        s.order = pgfns::test::missing_order;
        s.placed_text = "1970-01-01T00:00:00Z";  // s.placed is the epoch too
        co_await pgfns::test::compare_order_reads(d, c, s, "42501", PGFNS_BINDING(cat::get_order),
                                                  PGFNS_BINDING(cat::get_order_lines),
                                                  PGFNS_BINDING(cat::list_customer_orders));
        co_await pgfns::test::compare_report_reads(d, c, s, "42501",
                                                   PGFNS_BINDING(cat::sales_by_product),
                                                   PGFNS_BINDING(cat::order_totals));
      });
}

// The orders' write methods, then every read method through the orders' bindings.
BOOST_AUTO_TEST_CASE(orders) {
  pgfns::test::run_with_database(
      fixture().options("orders"), [](pgfns::database& d) -> awaitable<void> {
        namespace ord = shop::orders;
        comparison c("orders", fixture().record);
        auto& s = fixture().data;
        s.order = "0a6f3c1e-5b2d-4e8f-9a7c-1d2e3f405162";
        s.customer = "alice";
        // place_order: the first call places it; calling again with the same id returns the same
        // order with `created` false, through the bindings and through db.call alike.
        auto [e1, placed] = co_await ord::place_order(d, pgfns::uuid::parse(s.order), s.customer,
                                                      "gift wrap", lines(s.product, 2), as_tuple);
        BOOST_TEST_REQUIRE(placed.value.size() == 1u, pgfns::format_error(e1, placed.diag));
        BOOST_TEST((placed.value[0].created == std::optional(true)));
        BOOST_TEST(pgfns::test::shown(placed.value[0].total) == "37.50");
        s.placed = placed.value[0].placed.value();
        auto [e2, again] = co_await ord::place_order(d, pgfns::uuid::parse(s.order), s.customer,
                                                     "gift wrap", lines(s.product, 2), as_tuple);
        auto [f2, dyn_again] = co_await d.call("place_order", s.order, s.customer, "gift wrap",
                                               lines(s.product, 2), as_tuple);
        c.same(e2, again, f2, dyn_again, "", 1);
        BOOST_TEST((again.value.at(0).created == std::optional(false)));
        BOOST_TEST((again.value.at(0).placed == placed.value[0].placed));
        s.placed_text = dyn_again[0].at("placed").as_string();
        // An upper-case uuid and a NULL note; then a second order of alice's.
        auto [e3, bob] =
            co_await ord::place_order(d, pgfns::uuid::parse("F1E2D3C4-B5A6-4978-8695-A4B3C2D1E0F9"),
                                      "bob", std::nullopt, lines(s.product, 1), as_tuple);
        const pgfns::result bob_back =
            co_await d.call("get_order", "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9");
        c.same_as_read_back(e3, bob, bob_back, {"created"});
        BOOST_TEST((bob.value.at(0).created == std::optional(true)));
        auto [e4, second] =
            co_await ord::place_order(d, pgfns::uuid::parse("5b0c5b1e-4a4e-4f55-9d87-3c1e2b7f0a11"),
                                      s.customer, "", lines(s.product, 3), as_tuple);
        BOOST_TEST_REQUIRE(!e4, pgfns::format_error(e4, second.diag));
        // A product off sale is refused alike: 22023.
        const pgfns::uuid refused = pgfns::uuid::parse("6c1d6c2f-5b5f-4a66-8e98-4d2f3c8f1b22");
        auto [e5, off] = co_await ord::place_order(d, refused, "carol", std::nullopt,
                                                   lines(s.bare, 1), as_tuple);
        auto [f5, r5] = co_await d.call("place_order", refused.str(), "carol", nullptr,
                                        lines(s.bare, 1), as_tuple);
        c.same_failure(e5, off.diag, f5, r5.diag, "22023");

        // set_order_status returns (order_id, status, updated), as get_order reads them.
        auto [e6, paid] = co_await ord::set_order_status(
            d, pgfns::uuid::parse("f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9"), "paid", as_tuple);
        c.same_as_read_back(e6, paid,
                            co_await d.call("get_order", "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9"));
        auto [e7, lost] =
            co_await ord::set_order_status(d, pgfns::uuid::parse(s.order), "lost", as_tuple);
        auto [f7, r7] = co_await d.call("set_order_status", s.order, "lost", as_tuple);
        c.same_failure(e7, lost.diag, f7, r7.diag, "23514");
        const pgfns::uuid nowhere = pgfns::uuid::parse(pgfns::test::missing_order);
        auto [e8, none] = co_await ord::set_order_status(d, nowhere, "paid", as_tuple);
        auto [f8, r8] =
            co_await d.call("set_order_status", pgfns::test::missing_order, "paid", as_tuple);
        c.same_failure(e8, none.diag, f8, r8.diag, "P0002");

        co_await pgfns::test::compare_order_reads(d, c, s, "", PGFNS_BINDING(ord::get_order),
                                                  PGFNS_BINDING(ord::get_order_lines),
                                                  PGFNS_BINDING(ord::list_customer_orders));
        co_await pgfns::test::compare_catalog_reads(
            d, c, s, "", PGFNS_BINDING(ord::get_product), PGFNS_BINDING(ord::get_product_details),
            PGFNS_BINDING(ord::list_products_after), PGFNS_BINDING(ord::deprecated::list_products));
        co_await pgfns::test::compare_report_reads(
            d, c, s, "", PGFNS_BINDING(ord::sales_by_product), PGFNS_BINDING(ord::order_totals));
      });
}

// The reports' methods, then the others' read methods through the reports' bindings.
BOOST_AUTO_TEST_CASE(reports) {
  pgfns::test::run_with_database(
      fixture().options("reports"), [](pgfns::database& d) -> awaitable<void> {
        namespace rep = shop::reports;
        comparison c("reports", fixture().record);
        const auto& s = fixture().data;
        co_await pgfns::test::compare_report_reads(
            d, c, s, "", PGFNS_BINDING(rep::sales_by_product), PGFNS_BINDING(rep::order_totals));
        co_await pgfns::test::compare_catalog_reads(
            d, c, s, "", PGFNS_BINDING(rep::get_product), PGFNS_BINDING(rep::get_product_details),
            PGFNS_BINDING(rep::list_products_after), PGFNS_BINDING(rep::deprecated::list_products));
        co_await pgfns::test::compare_order_reads(d, c, s, "", PGFNS_BINDING(rep::get_order),
                                                  PGFNS_BINDING(rep::get_order_lines),
                                                  PGFNS_BINDING(rep::list_customer_orders));
      });
}

// What the schema says each service's bindings hold (its own methods and every read method),
// each called; and every method of db/ compared with data at least once.
BOOST_AUTO_TEST_CASE(every_method_of_db_was_called) {
  const auto& record = fixture().record;
  std::set<std::string> all;
  for (const std::string& service : fixture().schema->services()) {
    std::set<std::string> expected;
    for (const pgfns::resolved_method& m : fixture().schema->methods()) {
      all.insert(m.definition.name);
      if (m.definition.mode == pgfns::method_mode::read ||
          pgfns::normalize_service_name(m.definition.service_name) == service)
        expected.insert(m.definition.name);
    }
    const auto it = record.called.find(service);
    const std::set<std::string> called =
        it == record.called.end() ? std::set<std::string>{} : it->second;
    BOOST_TEST(called == expected, "service " << service);
    for (const std::string& m : expected)
      BOOST_TEST(called.count(m) == 1u, "service " << service << " never called " << m);
  }
  BOOST_TEST(!all.empty());
  for (const std::string& m : all)
    BOOST_TEST(record.with_data.count(m) == 1u, m << " never gave data to compare");
}

BOOST_AUTO_TEST_SUITE_END()

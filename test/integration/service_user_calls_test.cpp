// The example schema db/ at its latest version serves db.call as each service's own user:
// each service calls its own methods and the read methods it has grants for, and a method that
// reads a table the caller has no grant on fails on the server with SQLSTATE 42501. The
// database comes from the public test helpers (pgfns::testing).
#include "core_db.hpp"
#include "upgrade_test.hpp"

#include <pgfns/database.hpp>
#include <pgfns/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <memory>

using boost::asio::awaitable;
using pgfns::test::as_tuple;

namespace {

// Written on pgfns/testing.hpp, as a service's own tests would be: a fresh database upgraded to
// db/ with a user (and password) per service.
struct example_database {
  pgfns::testing::test_database db{
      pgfns::test::shared_servers(),
      std::make_shared<const pgfns::schema>(
          pgfns::schema::from_db_directory(pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db")),
      {.label = "svccalls"}};

  // Options connecting as `<prefix>_<service>`, small pools.
  pgfns::database_options options(const std::string& service) const {
    auto o = db.options(service);
    o.write_pool_size = 2;
    o.read_pool_size = 2;
    return o;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(service_user_calls, example_database)

BOOST_AUTO_TEST_CASE(each_service_calls_what_its_grants_allow) {
  pgfns::test::run_with_database(options("catalog"), [](pgfns::database& d) -> awaitable<void> {
    const pgfns::result made = co_await d.call("create_product", "sku-svc", "A product", "text",
                                               4.25, 7, nullptr, nullptr);
    BOOST_TEST(made.size() == 1u);
    BOOST_TEST(made.diag.pool == "write");
  });
  db.wait_for_standby();
  pgfns::test::run_with_database(options("orders"), [](pgfns::database& d) -> awaitable<void> {
    // orders may read products (a read grant) through the catalog's read method...
    const pgfns::result product = co_await d.call("get_product", 1);
    BOOST_TEST_REQUIRE(product.size() == 1u);
    BOOST_TEST(product[0].at("sku").as_string() == "sku-svc");
    // ...and write its own tables.
    boost::json::array lines{boost::json::object{{"product_id", 1}, {"quantity", 2}}};
    const pgfns::result placed =
        co_await d.call("place_order", "5a0c5b1e-4a4e-4f55-9d87-3c1e2b7f0a11", "alice", "", lines);
    BOOST_TEST_REQUIRE(placed.size() == 1u);
    BOOST_TEST(placed[0].at("total").as_string() == "8.50");
  });
  db.wait_for_standby();
  pgfns::test::run_with_database(options("reports"), [](pgfns::database& d) -> awaitable<void> {
    const pgfns::result totals = co_await d.call("sales_by_product", "2000-01-01T00:00:00Z", 10);
    BOOST_TEST(totals.size() >= 1u);
  });
}

BOOST_AUTO_TEST_CASE(a_method_reading_a_table_without_a_grant_fails_with_42501) {
  // get_order is a read method of orders, so catalog may call it, but the catalog's user has
  // no grant on the orders table: the server refuses.
  pgfns::test::run_with_database(options("catalog"), [](pgfns::database& d) -> awaitable<void> {
    auto [ec, r] = co_await d.call("get_order", "5a0c5b1e-4a4e-4f55-9d87-3c1e2b7f0a11", as_tuple);
    BOOST_TEST(ec == pgfns::make_sqlstate_error("42501"));
    BOOST_TEST(r.diag.sqlstate == "42501");
    BOOST_TEST(r.diag.message.find("permission denied") != std::string::npos);
    BOOST_TEST(r.diag.method == "get_order");
  });
}

BOOST_AUTO_TEST_SUITE_END()

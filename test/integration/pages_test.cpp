// pgfns::pages against the server: db/'s keyset-paged list_products_after through db.call rows
// and through the bindings generated for service catalog; Taskcluster's keyset-paged
// get_queue_artifacts_paginated_2 and offset-paged all_denylist_addresses. Every row once, in
// order, the calls counted; an error (a wrong index column, a deprecated method) and a
// cancellation end a page cleanly, and paging goes on from where it was.
#include "core_db.hpp"
#include "held_session.hpp"
#include "schema_test_paths.hpp"
#include "upgrade_test.hpp"

#include <catalog.hpp>

#include <pgfns/database.hpp>
#include <pgfns/pages.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::run_with_database;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

// A schema installed in a scratch database with its service users; each service connects as
// its own user, reads on read-only connections of the primary.
struct installed {
  pgfns::test::service_roles roles;
  pgfns::test::scratch_database db;
  std::shared_ptr<const pgfns::schema> schema;

  installed(const std::string& label, const std::filesystem::path& dir)
      : roles(label),
        db(label),
        schema(std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(dir))) {
    pgfns::upgrade(*schema, pgfns::test::options_for(db, roles.prefix()));
  }

  pgfns::database_options options(const std::string& service) const {
    pgfns::database_options o;
    o.schema = schema;
    o.service = service;
    o.write_url = db.write_url() + "?user=" + roles.prefix() + "_" + service;
    o.write_pool_size = 1;
    o.read_pool_size = 1;
    return o;
  }
};

constexpr int products = 23;

struct shop_fixture {
  installed shop{"pages", pgfns::test::shop_db()};

  shop_fixture() {
    run_with_database(shop.options("catalog"), [](pgfns::database& d) -> awaitable<void> {
      for (int i = 1; i <= products; ++i) {
        co_await d.call("create_product", "sku-" + std::to_string(i),
                        "product " + std::to_string(i), "", "1.50", i, nullptr, nullptr);
      }
    });
  }
};

std::vector<std::int64_t> ids_of(const std::vector<json::object>& rows) {
  std::vector<std::int64_t> ids;
  for (const json::object& row : rows)
    ids.push_back(row.at("product_id").to_number<std::int64_t>());
  return ids;
}

std::vector<std::int64_t> one_to(int n) {
  std::vector<std::int64_t> out;
  for (int i = 1; i <= n; ++i) out.push_back(i);
  return out;
}

awaitable<std::vector<json::object>> all_rows(pgfns::pages<json::object>& p) {
  std::vector<json::object> rows;
  while (auto row = co_await p.next()) rows.push_back(std::move(*row));
  co_return rows;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pages, shop_fixture)

BOOST_AUTO_TEST_CASE(db_call_rows_by_index_every_product_once_in_order) {
  run_with_database(shop.options("catalog"), [](pgfns::database& d) -> awaitable<void> {
    auto p =
        pgfns::call_pages_by_index(d, "list_products_after", {}, {"product_id"}, 5, "limit_in");
    const std::vector<json::object> rows = co_await all_rows(p);
    BOOST_TEST(ids_of(rows) == one_to(products), boost::test_tools::per_element());
    BOOST_TEST(rows.at(0).at("sku") == "sku-1");
    BOOST_TEST(p.calls() == 6u);  // 5, 5, 5, 5, 3 and the empty page
    BOOST_TEST(p.done());
  });
}

BOOST_AUTO_TEST_CASE(typed_rows_by_index_and_whole_pages) {
  namespace cat = shop::catalog;
  run_with_database(shop.options("catalog"), [](pgfns::database& d) -> awaitable<void> {
    auto p = pgfns::pages<cat::list_products_after_row>::by_index(
        7, [&d](std::size_t size, const cat::list_products_after_row* last) {
          return cat::list_products_after(d, last ? last->product_id : std::nullopt,
                                          static_cast<std::int32_t>(size));
        });
    std::vector<std::size_t> sizes;
    std::vector<std::int64_t> ids;
    for (;;) {
      const std::vector<cat::list_products_after_row> page = co_await p.next_page();
      if (page.empty()) break;
      sizes.push_back(page.size());
      for (const auto& row : page) ids.push_back(row.product_id.value());
    }
    BOOST_TEST((sizes == std::vector<std::size_t>{7, 7, 7, 2}));
    BOOST_TEST(ids == one_to(products), boost::test_tools::per_element());
    BOOST_TEST(p.calls() == 5u);
  });
}

BOOST_AUTO_TEST_CASE(a_wrong_index_column_is_refused_before_any_sql) {
  run_with_database(shop.options("catalog"), [](pgfns::database& d) -> awaitable<void> {
    auto p = pgfns::call_pages_by_index(d, "list_products_after", {}, {"id"}, 10, "limit_in");
    try {
      co_await p.next_page();
      BOOST_FAIL("a page was fetched with an argument the method does not have");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::errc::bad_arguments);
      BOOST_TEST(e.diag().method == "list_products_after");
      BOOST_TEST(e.diag().message.find("has no parameter \"after_id_in\"") != std::string::npos,
                 e.diag().message);
    }
    BOOST_TEST(!p.done());
  });
}

BOOST_AUTO_TEST_CASE(a_deprecated_method_is_refused_by_the_first_page) {
  run_with_database(shop.options("catalog"), [](pgfns::database& d) -> awaitable<void> {
    auto p = pgfns::call_pages_by_offset(d, "list_products", {}, 10, "limit_in", "offset_in");
    try {
      co_await p.next();
      BOOST_FAIL("a deprecated method was paged");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::errc::deprecated_method, e.what());
    }
    BOOST_TEST(!p.done());
    BOOST_TEST(p.calls() == 0u);
  });
}

// The page's call waits for a lock the test holds; cancelling the coroutine stops it (a read
// completes at once), and a later next() asks for the same page: nothing skipped.
BOOST_AUTO_TEST_CASE(a_cancelled_page_ends_cleanly_and_paging_resumes_where_it_was) {
  run_with_database(shop.options("catalog"), [this](pgfns::database& d) -> awaitable<void> {
    auto p =
        pgfns::call_pages_by_index(d, "list_products_after", {}, {"product_id"}, 10, "limit_in");
    std::vector<json::object> rows = co_await p.next_page();
    BOOST_TEST(rows.size() == 10u);

    pgfns::test::held_session lock(shop.db.write_url());
    lock.exec("begin; lock table products in access exclusive mode");
    boost::asio::cancellation_signal signal;
    std::optional<std::exception_ptr> ended;
    boost::asio::co_spawn(
        d.get_executor(), [&]() -> awaitable<void> { co_await p.next_page(); },
        boost::asio::bind_cancellation_slot(signal.slot(),
                                            [&](std::exception_ptr e) { ended = e; }));
    const std::string waiting =
        "select count(*) from pg_stat_activity where datname = '" + shop.db.name() +
        "' and wait_event_type = 'Lock' and query like '%list_products_after%'";
    const bool blocked = co_await pgfns::test::wait_until(
        [&] { return pgfns::test::query_value(shop.db.write_url(), waiting) == "1"; }, 20s);
    BOOST_REQUIRE(blocked);
    signal.emit(boost::asio::cancellation_type::terminal);
    const bool stopped = co_await pgfns::test::wait_until([&] { return ended.has_value(); }, 20s);
    BOOST_REQUIRE(stopped);
    BOOST_REQUIRE(*ended);
    try {
      std::rethrow_exception(*ended);
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == boost::asio::error::operation_aborted, e.what());
    }
    lock.exec("rollback");

    const std::vector<json::object> rest = co_await all_rows(p);
    rows.insert(rows.end(), rest.begin(), rest.end());
    BOOST_TEST(ids_of(rows) == one_to(products), boost::test_tools::per_element());
  });
}

BOOST_AUTO_TEST_SUITE_END()

// Taskcluster's own paged methods, as its services call them.
struct taskcluster_fixture {
  installed tc{"pagestc", pgfns::test::taskcluster_db()};
};

BOOST_FIXTURE_TEST_SUITE(pages_taskcluster, taskcluster_fixture)

BOOST_AUTO_TEST_CASE(queue_artifacts_by_index_columns, *pgfns::test::needs_shared()) {
  std::vector<std::string> expected;  // task_id/run_id/name, in the method's order
  for (const std::string task : {"task-a", "task-b", "task-c"}) {
    for (int run = 0; run < 2; ++run) {
      for (const std::string name : {"public/a.log", "public/b.log", "public/c.log", "z"}) {
        expected.push_back(task + "/" + std::to_string(run) + "/" + name);
      }
    }
  }
  run_with_database(tc.options("queue"), [&](pgfns::database& d) -> awaitable<void> {
    // Made in another order than they are listed in.
    const json::value details = json::object{{"k", 1}};
    for (auto it = expected.rbegin(); it != expected.rend(); ++it) {
      const auto slash = it->find('/');
      const auto second = it->find('/', slash + 1);
      co_await d.call("create_queue_artifact_2", it->substr(0, slash),
                      std::stoi(it->substr(slash + 1, second - slash - 1)), it->substr(second + 1),
                      "s3", "text/plain", details, true, "2099-01-01T00:00:00Z", 10);
    }
    json::object filters{{"task_id_in", nullptr}, {"run_id_in", nullptr}, {"expires_in", nullptr}};
    auto p = pgfns::call_pages_by_index(d, "get_queue_artifacts_paginated_2", std::move(filters),
                                        {"task_id", "run_id", "name"}, 5);
    std::vector<std::string> listed;
    while (auto row = co_await p.next()) {
      listed.push_back(std::string(row->at("task_id").as_string()) + "/" +
                       std::to_string(row->at("run_id").to_number<int>()) + "/" +
                       std::string(row->at("name").as_string()));
    }
    BOOST_TEST(listed == expected, boost::test_tools::per_element());
    BOOST_TEST(p.calls() == 6u);  // 24 rows: 5, 5, 5, 5, 4 and the empty page
  });
}

BOOST_AUTO_TEST_CASE(denylist_addresses_by_offset, *pgfns::test::needs_shared()) {
  run_with_database(tc.options("notify"), [&](pgfns::database& d) -> awaitable<void> {
    std::vector<std::string> expected;
    for (int i = 11; i >= 0; --i) {
      const std::string address = "user" + std::to_string(10 + i) + "@example.com";
      co_await d.call("add_denylist_address", "email", address);
      expected.insert(expected.begin(), "email " + address);
    }
    auto p = pgfns::call_pages_by_offset(d, "all_denylist_addresses", {}, 5);
    std::vector<std::string> listed;
    while (auto row = co_await p.next()) {
      listed.push_back(std::string(row->at("notification_type").as_string()) + " " +
                       std::string(row->at("notification_address").as_string()));
    }
    BOOST_TEST(listed == expected, boost::test_tools::per_element());
    BOOST_TEST(p.calls() == 4u);  // 12 rows: 5, 5, 2 and the empty page
  });
}

BOOST_AUTO_TEST_SUITE_END()

// An example service on pgfns: the `orders` service of the example shop (db/).
//
//   pgfns_shop_service [--pooler transaction] DB_DIR WRITE_URL READ_URL CATALOG_URL [WORKERS]
//
// --pooler transaction: the URLs lead to a pooler in transaction mode (pgbouncer), so every
// pool runs in pgfns::pooler_mode::transaction.
// WRITE_URL and READ_URL connect as the orders service's own user (the primary and a hot
// standby); CATALOG_URL connects as the catalog service's user, to stock the shop first.
// WORKERS coroutines (default 50) each read a product and place an order, all at once; the
// service then prints which server answered the reads and which the writes. It also shows a
// refusal: the orders service may not call the catalog's write methods.
//
// The calls go through bindings generated from db/ at build time (test/CMakeLists.txt:
// pgfns_generate for services catalog and orders, namespace shop), so the compiler checks each
// method's name, arguments and row columns; shop::orders::set_stock does not exist, since it
// is a write method of another service. The refusal below goes through db.call, the dynamic
// path, which refuses it at run time.
#include <catalog.hpp>
#include <orders.hpp>

#include <pgfns/database.hpp>
#include <pgfns/schema.hpp>
#include <pgfns/types.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>

#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr int product_count = 5;

struct tally {
  std::map<std::string, int> reads;   // server -> calls answered
  std::map<std::string, int> writes;  // server -> calls answered
  int not_replicated_yet = 0;         // reads that did not find the product on the standby yet
  int failures = 0;
};

pgfns::database_options options_for(std::shared_ptr<const pgfns::schema> s, std::string service,
                                    std::string write_url, std::string read_url,
                                    pgfns::pooler_mode pooler) {
  pgfns::database_options o;
  o.schema = std::move(s);
  o.service = std::move(service);
  o.write_url = std::move(write_url);
  o.read_url = std::move(read_url);
  o.write_pool_size = 4;
  o.read_pool_size = 4;
  o.pooler = pooler;
  return o;
}

// The catalog service stocks the shop: write calls, so they run on the primary.
asio::awaitable<void> stock_the_shop(pgfns::database& catalog) {
  co_await catalog.async_start();
  for (int i = 1; i <= product_count; ++i) {
    const json::value attributes = json::object{{"colour", i % 2 ? "red" : "blue"}};
    const std::vector<std::string> tags{"demo"};
    const pgfns::numeric price("1" + std::to_string(i) + ".50");
    auto [ec, r] = co_await shop::catalog::create_product(
        catalog, "demo-" + std::to_string(i), "Demo product " + std::to_string(i), "an example",
        price, 1000, attributes, tags, asio::as_tuple(asio::deferred));
    if (ec && r.diag.sqlstate != "23505") throw pgfns::error(ec, r.diag);  // 23505: rerun
  }
  std::cout << "catalog: stocked " << product_count << " products\n";
}

// A version 4 uuid: the client chooses each order's id, which makes placing it idempotent.
pgfns::uuid random_uuid() {
  static std::mt19937_64 gen{std::random_device{}()};
  pgfns::uuid id;
  for (std::size_t i = 0; i < id.bytes.size(); i += 8) {
    const std::uint64_t bits = gen();
    for (std::size_t b = 0; b < 8; ++b)
      id.bytes[i + b] = static_cast<std::uint8_t>(bits >> (8 * b));
  }
  id.bytes[6] = static_cast<std::uint8_t>((id.bytes[6] & 0x0f) | 0x40);  // version 4
  id.bytes[8] = static_cast<std::uint8_t>((id.bytes[8] & 0x3f) | 0x80);  // variant 1
  return id;
}

// One customer: look a product up (read pool), then order it (write pool).
asio::awaitable<void> customer(pgfns::database& orders, int n, tally& t) {
  constexpr auto as_tuple = asio::as_tuple(asio::deferred);
  const int product_id = 1 + n % product_count;
  // rows: std::vector<shop::orders::get_product_row>, one std::optional per column.
  auto [read_ec, product] = co_await shop::orders::get_product(orders, product_id, as_tuple);
  if (read_ec) {
    ++t.failures;
    std::cerr << "read failed: " << pgfns::format_error(read_ec, product.diag) << "\n";
    co_return;
  }
  ++t.reads[product.diag.server];
  // A hot standby replays the primary's writes a moment later: a product stocked just now may
  // not be there yet. The order goes to the primary, which has it.
  if (product.value.empty()) ++t.not_replicated_yet;

  const json::value lines = json::array{json::object{{"product_id", product_id}, {"quantity", 1}}};
  auto [write_ec, placed] =
      co_await shop::orders::place_order(orders, random_uuid(), "customer-" + std::to_string(n),
                                         "placed by the example service", lines, as_tuple);
  if (write_ec) {
    ++t.failures;
    std::cerr << "write failed: " << pgfns::format_error(write_ec, placed.diag) << "\n";
    co_return;
  }
  ++t.writes[placed.diag.server];
}

}  // namespace

namespace {

void print_servers(const char* kind, const std::map<std::string, int>& servers) {
  for (const auto& [server, calls] : servers)
    std::cout << "orders: " << calls << " " << kind << " answered by " << server << "\n";
}

asio::awaitable<void> run(std::shared_ptr<const pgfns::schema> s, const char* const* urls,
                          pgfns::pooler_mode pooler, int workers, int& exit_code) {
  auto ex = co_await asio::this_coro::executor;
  pgfns::database catalog(ex, options_for(s, "catalog", urls[2], urls[2], pooler));
  co_await stock_the_shop(catalog);

  pgfns::database orders(ex, options_for(s, "orders", urls[0], urls[1], pooler));
  co_await orders.async_start();

  // The library refuses, before any SQL, a write method of another service (with the bindings
  // such a call does not compile: this one goes through db.call, the dynamic path).
  auto [ec, refused] = co_await orders.call("set_stock", 1, 0, asio::as_tuple(asio::deferred));
  std::cout << "orders: set_stock (a catalog write method) refused: "
            << pgfns::format_error(ec, refused.diag) << "\n";

  // All customers at once: reads and writes share the pools concurrently.
  tally t;
  int running = workers;
  asio::steady_timer all_done(ex, asio::steady_timer::time_point::max());
  for (int n = 0; n < workers; ++n) {
    asio::co_spawn(ex, customer(orders, n, t), [&](std::exception_ptr e) {
      if (e) ++t.failures;
      if (--running == 0) all_done.cancel();
    });
  }
  co_await all_done.async_wait(asio::as_tuple(asio::deferred));

  print_servers("reads (get_product)", t.reads);
  print_servers("writes (place_order)", t.writes);
  const pgfns::pool_stats r = orders.stats(pgfns::pool_role::read);
  const pgfns::pool_stats w = orders.stats(pgfns::pool_role::write);
  std::cout << "orders: read pool " << r.total << " connections, " << r.calls
            << " calls; write pool " << w.total << " connections, " << w.calls << " calls; "
            << t.failures << " failures\n";
  if (t.not_replicated_yet > 0)
    std::cout << "orders: " << t.not_replicated_yet
              << " reads ran before the standby had replayed the new products\n";
  exit_code = t.failures == 0 && !t.reads.empty() && !t.writes.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const char* const program = argv[0];
  pgfns::pooler_mode pooler = pgfns::pooler_mode::none;
  if (argc >= 3 && std::string(argv[1]) == "--pooler" && std::string(argv[2]) == "transaction") {
    pooler = pgfns::pooler_mode::transaction;
    argc -= 2;
    argv += 2;
  }
  if (argc < 5 || argc > 6) {
    std::cerr << "usage: " << program
              << " [--pooler transaction] DB_DIR WRITE_URL READ_URL CATALOG_URL [WORKERS]\n";
    return 2;
  }
  try {
    auto s = std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(argv[1]));
    const int workers = argc == 6 ? std::stoi(argv[5]) : 50;
    int exit_code = 1;
    asio::io_context ioc;
    asio::co_spawn(ioc, run(s, argv + 2, pooler, workers, exit_code), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
    ioc.run();
    return exit_code;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}

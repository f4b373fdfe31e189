// pgfns_soak: a long run of mixed calls from many coroutines through one pgfns::database, to
// show that nothing goes wrong and no memory is lost however many calls are made.
//
// --calls calls (default 1,000,000) from --concurrency coroutines (default 200) on the methods
// of db/ (service catalog, products 1..--rows seeded by bench/seed.sql): reads on the read pool,
// writes on the write pool, and calls that must fail (a check violation, a missing product, an
// unknown method); every outcome is checked (support/soak_calls.hpp). The resident memory is
// read after each tenth of the calls; the first tenth is the warm-up. --pooler transaction: as
// pgfns_bench's. --threads N: database_options::threads, with an io_context run by N threads.
//
// Prints one JSON line and exits 0 only when every call had its expected outcome, the pools
// answered exactly the calls that were not refused and saw exactly the expected server errors,
// and the RSS after the last tenth is within
// --rss-tolerance percent (default 5) of the RSS after the first tenth.
#include "support/measure.hpp"
#include "support/options.hpp"
#include "support/soak_calls.hpp"
#include "support/workers.hpp"

#include <pgfns/database.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>

#include <array>
#include <cmath>
#include <iostream>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
using namespace pgfns::bench;

namespace {

constexpr std::size_t kinds = static_cast<std::size_t>(soak_kind::count);

// Shared by the workers, which may run on several threads (--threads): every access but the
// fixed calls and rows is under `mutex`.
struct soak_state {
  std::mutex mutex;
  long calls = 0;  // to make
  std::int64_t rows = 1;
  long issued = 0;
  long completed = 0;
  long unexpected = 0;
  std::string first_unexpected;
  std::array<long, kinds> per_kind{};
  std::array<long, 10> rss_kb{};  // after each tenth of the calls
  final_pool_stats pools;
  latency_recorder latencies;
};

void unexpected(soak_state& st, std::string what) {
  if (st.unexpected++ == 0) st.first_unexpected = std::move(what);
}

asio::awaitable<void> worker(pgfns::database& db, soak_state& st, long index) {
  random_source rng(0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(index + 1));
  constexpr auto token = asio::as_tuple(asio::deferred);
  for (;;) {
    {
      const std::lock_guard lock(st.mutex);
      if (st.issued >= st.calls) co_return;
      ++st.issued;
    }
    soak_call c = next_soak_call(rng, st.rows);
    const auto t0 = clock::now();
    boost::system::error_code ec;
    pgfns::result r;
    if (auto* positional = std::get_if<boost::json::array>(&c.args)) {
      std::tie(ec, r) = co_await db.call(c.method, std::move(*positional), token);
    } else {
      std::tie(ec, r) = co_await db.call(c.method, std::get<boost::json::object>(c.args), token);
    }
    const auto took = clock::now() - t0;
    const std::string bad = check_soak_outcome(c, ec, r);
    const std::lock_guard lock(st.mutex);
    st.latencies.record(took);
    ++st.per_kind[static_cast<std::size_t>(c.kind)];
    if (!bad.empty())
      unexpected(st, std::string(to_string(c.kind)) + "(" + std::to_string(c.id) + "): " + bad);
    ++st.completed;
    if (st.completed * 10 % st.calls == 0) {
      st.rss_kb[static_cast<std::size_t>(st.completed * 10 / st.calls - 1)] = current_rss_kb();
    }
  }
}

asio::awaitable<void> run(pgfns::database& db, soak_state& st, long concurrency) {
  auto [ec, diag] = co_await db.async_start(asio::as_tuple(asio::deferred));
  if (ec) {
    throw std::runtime_error("could not start the database: " + ec.message() + " " + diag.message);
  }
  spawn_workers(
      db, concurrency, [&](long i) { return worker(db, st, i); },
      [&](const std::string& what) {
        const std::lock_guard lock(st.mutex);
        unexpected(st, "a coroutine threw: " + what);
      },
      st.pools);
}

int main_impl(int argc, char** argv) {
  const options opts(argc, argv,
                     {{"db", ""},
                      {"service", "catalog"},
                      {"write-url", ""},
                      {"read-url", ""},
                      {"pooler", ""},
                      {"calls", "1000000"},
                      {"concurrency", "200"},
                      {"pool", "4"},
                      {"depth", "16"},
                      {"rows", "10000"},
                      {"threads", "1"},
                      {"rss-tolerance", "5"}});
  soak_state st;
  st.calls = opts.integer("calls", 1000, 1L << 40);
  st.rows = opts.integer("rows", 100, 1L << 30);
  if (st.calls % 10 != 0) throw std::invalid_argument("--calls: a multiple of 10");
  const long concurrency = opts.integer("concurrency", 1, 100000);
  const double tolerance = opts.number("rss-tolerance", 0, 1000);

  pgfns::database_options o =
      database_options_from(opts, static_cast<std::size_t>(opts.integer("pool", 1, 1000)));
  const auto threads = static_cast<int>(opts.integer("threads", 1, 64));
  o.threads = static_cast<std::size_t>(threads);

  asio::io_context ioc(threads);
  pgfns::database db(ioc.get_executor(), o);
  std::exception_ptr failed;
  const auto start = clock::now();
  asio::co_spawn(ioc, run(db, st, concurrency), [&](std::exception_ptr e) {
    failed = e;
    if (e) db.close();
  });
  std::vector<std::thread> more;
  for (int i = 1; i < threads; ++i) more.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : more) t.join();
  if (failed) std::rethrow_exception(failed);
  // The calls each pool answered, now that every shard has closed (with several, the counts
  // each published as it closed: final).
  st.pools.read = db.stats(pgfns::pool_role::read);
  st.pools.write = db.stats(pgfns::pool_role::write);
  const double seconds = std::chrono::duration<double>(clock::now() - start).count();

  // Every call that reached a server and failed is one the mix asked for.
  const long server_errors = st.per_kind[static_cast<std::size_t>(soak_kind::negative_stock)] +
                             st.per_kind[static_cast<std::size_t>(soak_kind::stock_of_missing)];
  const auto pool_errors = static_cast<long>(st.pools.read.errors + st.pools.write.errors);
  if (pool_errors != server_errors) {
    unexpected(st, "the pools counted " + std::to_string(pool_errors) + " failed calls, not " +
                       std::to_string(server_errors));
  }
  // Every call but those refused before any SQL reached a pool.
  const long pooled = st.calls - st.per_kind[static_cast<std::size_t>(soak_kind::unknown_method)];
  const auto pool_calls = static_cast<long>(st.pools.read.calls + st.pools.write.calls);
  if (pool_calls != pooled) {
    unexpected(st, "the pools answered " + std::to_string(pool_calls) + " calls, not " +
                       std::to_string(pooled));
  }
  if (st.completed != st.calls) {
    unexpected(
        st, std::to_string(st.completed) + " of " + std::to_string(st.calls) + " calls completed");
  }
  const long first = st.rss_kb.front(), last = st.rss_kb.back();
  const double growth =
      first > 0 ? 100.0 * static_cast<double>(last - first) / static_cast<double>(first) : 0.0;
  const bool flat = first > 0 && last > 0 && std::abs(growth) <= tolerance;

  boost::json::object kind_counts;
  for (std::size_t k = 0; k < kinds; ++k) {
    kind_counts[to_string(static_cast<soak_kind>(k))] = st.per_kind[k];
  }
  boost::json::array rss;
  for (long kb : st.rss_kb) rss.push_back(kb);
  boost::json::object line{
      {"tool", "pgfns_soak"},
      {"calls", st.completed},
      {"concurrency", concurrency},
      {"pool", o.read_pool_size},
      {"seconds", seconds},
      {"calls_per_s", seconds > 0 ? std::llround(static_cast<double>(st.completed) / seconds) : 0},
      {"p50_us", st.latencies.percentile_us(50)},
      {"p99_us", st.latencies.percentile_us(99)},
      {"kinds", std::move(kind_counts)},
      {"read_pool_calls", st.pools.read.calls},
      {"write_pool_calls", st.pools.write.calls},
      {"pool_errors", pool_errors},
      {"unexpected", st.unexpected},
      {"rss_kb_per_tenth", std::move(rss)},
      {"rss_growth_percent", growth},
      {"rss_tolerance_percent", tolerance},
      {"rss_flat", flat},
      {"peak_rss_kb", peak_rss_kb()}};
  if (!st.first_unexpected.empty()) line["first_unexpected"] = st.first_unexpected;
  print_json_line(line);
  if (st.unexpected != 0) {
    std::cerr << "pgfns_soak: " << st.unexpected
              << " unexpected outcomes, the first: " << st.first_unexpected << '\n';
  }
  if (!flat) {
    std::cerr << "pgfns_soak: RSS after the last tenth of the calls (" << last
              << " KiB) is not within " << tolerance << "% of that after the first (" << first
              << " KiB)\n";
  }
  return st.unexpected == 0 && flat ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return main_impl(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "pgfns_soak: " << e.what() << '\n';
    return 2;
  }
}

// pgfns_bench: calls stored functions of a db/ schema through pgfns::database and reports one
// JSON line (calls/s, p50, p99, client CPU time per call, peak RSS).
//
//   sequential  one coroutine, one connection, one call at a time (the read call)
//   concurrent  C coroutines over a pool of P connections, pipelining off
//   pipelined   the same with pipelining on
//   mixed       C coroutines making read calls (read pool, --read-url) and a share of write calls
//               (write pool, --write-url); pipelining as --pipelining says (default on)
//
// --api typed makes the same calls through the bindings `pgfns generate` made for service
// catalog (bench/CMakeLists.txt: pgfns_generate, namespace shop): get_product(id) and
// set_stock(id,rand) only, with --service catalog.
//
// --threads N: database_options::threads, with an io_context run by N threads (1: one thread,
// one shard, as a service on one thread would run it). With --io per-thread: N io_contexts,
// each run by one thread, one shard on each (database's constructor taking N executors), and
// the workers spread over them.
//
// --reads-per-sync N: database_options::reads_per_sync (16; 1 gives each read its own sync
// point), with pipelining only.
//
// --pooler transaction makes the calls in pooler mode (database_options::pooler), for URLs that
// lead to a pooler in transaction mode such as pgbouncer's pool_mode = transaction.
//
// --rss runs the scenario for --rss-calls calls without a warmup and reports the resident
// memory after the first 10% of them and at the end (both after the same kind of calls).
// Every run is bounded by --seconds (after --warmup) and --max-calls.
#include "support/call_spec.hpp"
#include "support/measure.hpp"
#include "support/options.hpp"
#include "support/workers.hpp"

#include <catalog.hpp>

#include <pgfns/database.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

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

struct config {
  std::string scenario;
  bool typed = false;  // --api typed: through the generated bindings
  long concurrency = 1;
  call_spec read_call;
  call_spec write_call;
  long write_percent = 0;  // share of write calls, mixed only
  std::int64_t rows = 1;
  long max_calls = 0;
  long rss_first = 0;  // --rss: the call count after which the first RSS is read; 0 otherwise
};

// Shared by the workers, which may run on several threads (--threads): every access but the
// fixed times is under `mutex`.
struct run_state {
  std::mutex mutex;
  clock::time_point measure_from;
  clock::time_point stop_at;
  clock::time_point measure_started;
  std::chrono::microseconds cpu_at_start{};
  bool measuring = false;
  long measured = 0;
  long errors = 0;
  long empty_reads = 0;
  long rss_first_kb = -1;
  long rss_last_kb = -1;
  std::string first_error;
  final_pool_stats pools;
  latency_recorder latencies;
};

// Counts the outcome of one call (under st.mutex).
void count_outcome(run_state& st, const boost::system::error_code& ec, const pgfns::diagnostics& d,
                   bool read_empty) {
  if (ec) {
    if (st.errors++ == 0) st.first_error = ec.message() + " " + d.message;
  } else if (read_empty) {
    ++st.empty_reads;
  }
}

template <bool typed>
asio::awaitable<void> worker(pgfns::database& db, const config& cfg, run_state& st, long index) {
  random_source rng(0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(index + 1));
  std::int64_t values[3] = {};
  for (;;) {
    const auto t0 = clock::now();
    {
      const std::lock_guard lock(st.mutex);
      if (t0 >= st.stop_at || st.measured >= cfg.max_calls) co_return;
      if (!st.measuring && t0 >= st.measure_from) {
        st.measuring = true;
        st.measure_started = t0;
        st.cpu_at_start = cpu_time();
      }
    }
    const bool write = cfg.write_percent > 0 && rng.below(100) < cfg.write_percent;
    const call_spec& spec = write ? cfg.write_call : cfg.read_call;
    spec.make_args(rng, cfg.rows, values);
    if constexpr (typed) {
      if (write) {
        auto [ec, r] = co_await shop::catalog::set_stock(db, static_cast<std::int32_t>(values[0]),
                                                         static_cast<std::int32_t>(values[1]),
                                                         asio::as_tuple(asio::deferred));
        const std::lock_guard lock(st.mutex);
        count_outcome(st, ec, r.diag, false);
      } else {
        auto [ec, r] = co_await shop::catalog::get_product(db, static_cast<std::int32_t>(values[0]),
                                                           asio::as_tuple(asio::deferred));
        const std::lock_guard lock(st.mutex);
        count_outcome(st, ec, r.diag, r.value.empty());
      }
    } else {
      // The argument list built at run time; db.call packs separate arguments the same way.
      boost::json::array args(values, values + spec.args.size());
      auto [ec, r] = co_await db.call(spec.method, std::move(args), asio::as_tuple(asio::deferred));
      const std::lock_guard lock(st.mutex);
      count_outcome(st, ec, r.diag, !write && r.empty());
    }
    if (t0 >= st.measure_from) {
      const auto took = clock::now() - t0;
      const std::lock_guard lock(st.mutex);
      st.latencies.record(took);
      ++st.measured;
      if (st.measured == cfg.rss_first) st.rss_first_kb = current_rss_kb();
      if (st.measured == cfg.max_calls) st.rss_last_kb = current_rss_kb();
    }
  }
}

asio::awaitable<void> run(pgfns::database& db, const config& cfg, run_state& st,
                          clock::duration warmup, clock::duration duration,
                          const std::vector<asio::any_io_executor>& worker_executors) {
  auto [ec, diag] = co_await db.async_start(asio::as_tuple(asio::deferred));
  if (ec)
    throw std::runtime_error("could not start the database: " + ec.message() + " " + diag.message);
  st.measure_from = clock::now() + warmup;
  st.stop_at = st.measure_from + duration;
  spawn_workers(
      db, cfg.concurrency,
      [&](long i) {
        return cfg.typed ? worker<true>(db, cfg, st, i) : worker<false>(db, cfg, st, i);
      },
      [&](const std::string& what) {
        const std::lock_guard lock(st.mutex);
        if (st.errors++ == 0) st.first_error = what;
      },
      st.pools, worker_executors);
}

int main_impl(int argc, char** argv) {
  const options opts(argc, argv,
                     {{"db", ""},
                      {"service", "catalog"},
                      {"write-url", ""},
                      {"read-url", ""},
                      {"pooler", ""},
                      {"scenario", "sequential"},
                      {"api", "json"},
                      {"concurrency", "4"},
                      {"pool", "4"},
                      {"pipelining", ""},
                      {"depth", "16"},
                      {"reads-per-sync", "16"},
                      {"threads", "1"},
                      {"io", "shared"},
                      {"seconds", "5"},
                      {"warmup", "0.5"},
                      {"max-calls", "100000000"},
                      {"rows", "10000"},
                      {"read-call", "get_product(id)"},
                      {"write-call", "set_stock(id,rand)"},
                      {"write-percent", "20"},
                      {"rss-calls", "1000000"}},
                     {"rss"});
  config cfg;
  cfg.scenario = opts.text("scenario");
  const bool mixed = cfg.scenario == "mixed";
  if (cfg.scenario != "sequential" && cfg.scenario != "concurrent" && cfg.scenario != "pipelined" &&
      !mixed) {
    throw std::invalid_argument("--scenario: sequential, concurrent, pipelined or mixed");
  }
  const std::string& api = opts.text("api");
  if (api != "json" && api != "typed") throw std::invalid_argument("--api: json or typed");
  cfg.typed = api == "typed";
  const bool sequential = cfg.scenario == "sequential";
  cfg.concurrency = sequential ? 1 : opts.integer("concurrency", 1, 100000);
  const auto pool = static_cast<std::size_t>(sequential ? 1 : opts.integer("pool", 1, 1000));
  cfg.read_call = call_spec::parse(opts.text("read-call"));
  cfg.write_call = call_spec::parse(opts.text("write-call"));
  cfg.write_percent = mixed ? opts.integer("write-percent", 0, 100) : 0;
  if (cfg.typed &&
      (opts.text("service") != "catalog" || opts.text("read-call") != "get_product(id)" ||
       (cfg.write_percent > 0 && opts.text("write-call") != "set_stock(id,rand)"))) {
    throw std::invalid_argument(
        "--api typed: the bindings of service catalog, for get_product(id) and set_stock(id,rand)");
  }
  cfg.rows = opts.integer("rows", 1, 1L << 40);
  cfg.max_calls = opts.integer("max-calls", 1, 1L << 40);
  auto warmup = opts.number("warmup", 0, 3600);
  const bool rss = opts.flag("rss");
  if (rss) {
    cfg.max_calls = opts.integer("rss-calls", 10, 1L << 40);
    cfg.rss_first = cfg.max_calls / 10;
    warmup = 0;
  }
  const std::string& pipe = opts.text("pipelining");
  if (!pipe.empty() && pipe != "on" && pipe != "off") {
    throw std::invalid_argument("--pipelining: on or off");
  }

  pgfns::database_options o = database_options_from(opts, pool);
  o.pipelining = cfg.scenario == "pipelined" || (mixed && pipe != "off");
  o.reads_per_sync = static_cast<std::size_t>(opts.integer("reads-per-sync", 1, 1000));

  const auto threads = static_cast<int>(opts.integer("threads", 1, 64));
  const std::string& io = opts.text("io");
  if (io != "shared" && io != "per-thread")
    throw std::invalid_argument("--io: shared or per-thread");
  const bool per_thread = io == "per-thread" && threads > 1;

  // shared: one io_context run by every thread; per-thread: one io_context per thread.
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  for (int i = 0; i < (per_thread ? threads : 1); ++i)
    contexts.push_back(std::make_unique<asio::io_context>(per_thread ? 1 : threads));
  std::vector<asio::any_io_executor> executors;
  for (auto& c : contexts) executors.push_back(c->get_executor());
  o.threads = static_cast<std::size_t>(threads);
  pgfns::database db =
      per_thread ? pgfns::database(executors, o) : pgfns::database(executors.front(), o);
  if (!per_thread) executors.clear();  // workers on the database's executor
  asio::io_context& ioc = *contexts.front();
  auto guards = std::vector<asio::executor_work_guard<asio::io_context::executor_type>>();
  for (std::size_t i = 1; i < contexts.size(); ++i)  // kept running until the database closes
    guards.push_back(asio::make_work_guard(*contexts[i]));
  run_state st;
  const auto to_duration = [](double s) {
    return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s));
  };
  std::exception_ptr failed;
  asio::co_spawn(ioc,
                 run(db, cfg, st, to_duration(warmup),
                     to_duration(opts.number("seconds", 0.1, 3600)), executors),
                 [&](std::exception_ptr e) {
                   failed = e;
                   if (e) db.close();
                 });
  std::vector<std::thread> more;
  for (int i = 1; i < threads; ++i) {
    asio::io_context& c = per_thread ? *contexts[static_cast<std::size_t>(i)] : ioc;
    more.emplace_back([&c] { c.run(); });
  }
  ioc.run();
  guards.clear();
  for (auto& t : more) t.join();
  if (failed) std::rethrow_exception(failed);
  const auto end = clock::now();
  const auto cpu = cpu_time() - st.cpu_at_start;
  const double seconds =
      st.measuring ? std::chrono::duration<double>(end - st.measure_started).count() : 0;
  const double calls = static_cast<double>(st.measured);

  boost::json::object line{
      {"tool", "pgfns"},
      {"scenario", rss ? cfg.scenario + "-rss" : cfg.scenario},
      {"api", api},
      {"concurrency", cfg.concurrency},
      {"pool", pool},
      {"threads", threads},
      {"io", per_thread ? "per-thread" : "shared"},
      {"pipelining", o.pipelining},
      {"reads_per_sync", o.pipelining ? o.reads_per_sync : 1},
      {"pooler", o.pooler == pgfns::pooler_mode::transaction ? "transaction" : "none"},
      {"read_connections", st.pools.read.total},
      {"write_connections", st.pools.write.total},
      {"calls", st.measured},
      {"errors", st.errors},
      {"empty_reads", st.empty_reads},
      {"seconds", seconds},
      {"calls_per_s", seconds > 0 ? std::llround(calls / seconds) : 0},
      {"p50_us", st.latencies.percentile_us(50)},
      {"p99_us", st.latencies.percentile_us(99)},
      {"cpu_us_per_call", calls > 0 ? static_cast<double>(cpu.count()) / calls : 0},
      {"peak_rss_kb", peak_rss_kb()}};
  if (rss) {
    const long last = st.rss_last_kb;
    line["rss_calls_first"] = cfg.rss_first;
    line["rss_calls_last"] = cfg.max_calls;
    line["rss_first_kb"] = st.rss_first_kb;
    line["rss_last_kb"] = last;
    line["rss_growth_percent"] = st.rss_first_kb > 0 && last > 0
                                     ? 100.0 * static_cast<double>(last - st.rss_first_kb) /
                                           static_cast<double>(st.rss_first_kb)
                                     : 0.0;
  }
  if (!st.first_error.empty()) line["first_error"] = st.first_error;
  print_json_line(line);
  return st.errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return main_impl(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "pgfns_bench: " << e.what() << '\n';
    return 2;
  }
}

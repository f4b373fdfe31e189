// A database driven by several threads (database_options::threads): calls run on two shards at
// the same moment, every call gets its own answer from an io_context run by four threads, the
// counts cover every shard, read-your-writes holds across shards, and cancellation, deadlines
// and closing from another thread keep their guarantees; a database may also take one executor
// per shard (one io_context per thread). ThreadSanitizer runs this test in
// `scripts/test --full`.
#include <pgfns/database.hpp>

#include "core_db.hpp"
#include "eventually.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::as_tuple;
using pgfns::test::context_list;
using pgfns::test::core_database;
using pgfns::test::eventually;
using pgfns::test::run_on_threads;
using pgfns::test::thread_ids;

namespace {

// One io_context run by four threads.
void run_threaded(const std::function<awaitable<void>(io_context&)>& make) {
  run_on_threads(
      1, 4, [&](context_list& c, thread_ids&) { return make(*c.front()); },
      std::chrono::seconds(300));
}

// Waits without blocking a thread of the io_context.
awaitable<void> pause(io_context& ioc, std::chrono::milliseconds d) {
  boost::asio::steady_timer t(ioc, d);
  co_await t.async_wait(boost::asio::deferred);
}

// Waits for `n` coroutines to report (each increments `finished` once).
awaitable<bool> all_finished(io_context& ioc, const std::atomic<int>& finished, int n) {
  for (int i = 0; i < 12000 && finished.load() < n; ++i)
    co_await pause(ioc, std::chrono::milliseconds(20));
  co_return finished.load() == n;
}

struct tally {
  std::mutex mutex;
  std::atomic<int> finished{0};
  int wrong = 0;
  std::vector<std::string> failures;
  std::set<std::int64_t> ids;
};

awaitable<void> caller(pgfns::database& d, int n, int reads, tally& t) {
  try {
    for (int i = 0; i < reads; ++i) {
      const pgfns::result r = co_await d.call("sum_two", n, i);
      if (r[0].at("sum_two").as_int64() != n + i) {
        const std::lock_guard lock(t.mutex);
        ++t.wrong;
      }
    }
    const pgfns::result w = co_await d.call("add_item", "item " + std::to_string(n));
    const std::lock_guard lock(t.mutex);
    t.ids.insert(w[0].at("id").as_int64());
  } catch (const pgfns::error& e) {
    const std::lock_guard lock(t.mutex);
    t.failures.push_back(e.what());
  }
  ++t.finished;
}

void run_many(const char* label, bool pipelining) {
  core_database db(label);
  constexpr int coroutines = 400;
  constexpr int reads = 9;
  run_threaded([&](io_context& ioc) -> awaitable<void> {
    auto options = db.options();
    options.threads = 3;
    options.pipelining = pipelining;
    options.read_pool_size = 6;
    options.write_pool_size = 4;
    options.acquire_timeout = std::chrono::seconds(60);
    pgfns::database d(ioc.get_executor(), options);
    co_await d.async_start();
    tally t;
    for (int n = 0; n < coroutines; ++n)
      boost::asio::co_spawn(ioc, caller(d, n, reads, t), boost::asio::detached);
    BOOST_TEST_REQUIRE(co_await all_finished(ioc, t.finished, coroutines));
    {
      const std::lock_guard lock(t.mutex);  // never held across a co_await
      BOOST_TEST(t.failures.empty(), (t.failures.empty() ? "" : t.failures.front()));
      BOOST_TEST(t.wrong == 0);
      BOOST_TEST(t.ids.size() == static_cast<std::size_t>(coroutines));
    }
    // Every shard's counts, within a few of their snapshots (taken every 50 ms).
    const std::uint64_t total = coroutines * (reads + 1);
    std::uint64_t counted = 0;
    for (int i = 0; i < 500 && counted != total; ++i) {
      co_await pause(ioc, std::chrono::milliseconds(20));
      counted = d.stats(pgfns::pool_role::read).calls + d.stats(pgfns::pool_role::write).calls;
    }
    BOOST_TEST(counted == total);
    const auto reads_stats = d.stats(pgfns::pool_role::read);
    const auto writes_stats = d.stats(pgfns::pool_role::write);
    BOOST_TEST(reads_stats.errors + writes_stats.errors == 0u);
    BOOST_TEST(reads_stats.total <= 6u);   // 2 + 2 + 2
    BOOST_TEST(writes_stats.total <= 4u);  // 2 + 1 + 1
    BOOST_TEST(writes_stats.total >= 3u);  // one at least on each shard
    std::uint64_t by_server = 0;
    for (const auto& s : d.servers()) by_server += s.pool_counts.calls;
    BOOST_TEST(by_server == total);
    BOOST_TEST(d.options().read_pool_size == 6u);  // as given, not one shard's share
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(call_threads)

// One shard's strand is held (its call's monitor hook blocks) while the other shard's calls go
// on and release it: with one thread for the database, nothing could release it.
BOOST_AUTO_TEST_CASE(two_shards_serve_calls_at_the_same_moment) {
  core_database db("threads_at_once");
  std::mutex m;
  std::condition_variable cv;
  std::atomic<bool> holding{false};
  std::atomic<int> after_hold{0};
  bool released = false;
  run_threaded([&](io_context& ioc) -> awaitable<void> {
    auto options = db.options();
    options.threads = 2;
    options.monitor.on_call = [&](const pgfns::call_event& e) {
      if (e.method != "sum_two") return;
      if (!holding.exchange(true)) {
        std::unique_lock lock(m);
        released = cv.wait_for(lock, std::chrono::seconds(60), [&] { return after_hold >= 20; });
        return;
      }
      if (++after_hold >= 20) {
        const std::lock_guard lock(m);
        cv.notify_all();
      }
    };
    pgfns::database d(ioc.get_executor(), options);
    co_await d.async_start();
    // Four callers made off the shards' strands: each shard takes two of them in turn, and a
    // caller stays on the shard that answered it.
    tally t;
    for (int n = 0; n < 4; ++n)
      boost::asio::co_spawn(ioc, caller(d, n, 20, t), boost::asio::detached);
    BOOST_TEST_REQUIRE(co_await all_finished(ioc, t.finished, 4));
    const std::lock_guard lock(t.mutex);
    BOOST_TEST(t.failures.empty(), (t.failures.empty() ? "" : t.failures.front()));
    BOOST_TEST(t.wrong == 0);
  });
  BOOST_TEST(released);
}

BOOST_AUTO_TEST_CASE(many_calls_from_many_threads_with_pipelining) {
  run_many("threads_many_pipelined", true);
}

BOOST_AUTO_TEST_CASE(many_calls_from_many_threads_without_pipelining) {
  run_many("threads_many_serial", false);
}

// Each call is made off the strands, so consecutive calls go to different shards: the read
// after a write sees it although another shard made the write.
BOOST_AUTO_TEST_CASE(read_your_writes_across_shards) {
  core_database db("threads_ryw");
  run_threaded([&](io_context& ioc) -> awaitable<void> {
    auto options = db.options();
    options.threads = 2;
    options.read_your_writes = true;
    pgfns::database d(ioc.get_executor(), options);
    co_await d.async_start();
    for (int i = 0; i < 40; ++i) {
      co_await boost::asio::post(ioc.get_executor(), boost::asio::deferred);
      const pgfns::result w = co_await d.call("add_item", "ryw " + std::to_string(i));
      const auto id = w[0].at("id").as_int64();
      co_await boost::asio::post(ioc.get_executor(), boost::asio::deferred);
      const pgfns::result r = co_await d.call("get_item", id);
      BOOST_TEST_REQUIRE(r.size() == 1u, "write " << i << " (id " << id << ") not seen");
    }
  });
}

// Deadlines on both shards at once: every read times out, and every write reports what
// happened to it (the count of items agrees).
BOOST_AUTO_TEST_CASE(deadlines_on_every_shard) {
  core_database db("threads_deadlines");
  run_threaded([&](io_context& ioc) -> awaitable<void> {
    auto options = db.options();
    options.threads = 2;
    options.read_pool_size = 4;
    options.write_pool_size = 4;
    // Items are counted on the primary by a database without the short deadline (which a
    // call may miss under valgrind).
    pgfns::database counter(ioc.get_executor(), options);
    co_await counter.async_start();
    pgfns::call_options on_primary;
    on_primary.primary = true;
    const auto before =
        (co_await counter.call_with(on_primary, "count_items"))[0].at("count_items").as_int64();
    options.call_timeout = std::chrono::milliseconds(300);
    pgfns::database d(ioc.get_executor(), options);
    co_await d.async_start();
    std::mutex mu;
    std::vector<std::string> wrong;
    std::atomic<int> writes_done{0};
    std::atomic<int> finished{0};
    constexpr int callers = 16;
    for (int n = 0; n < callers; ++n) {
      boost::asio::co_spawn(
          ioc,
          [&, n]() -> awaitable<void> {
            if (n % 2 == 0) {
              auto [ec, r] = co_await d.call("sleep_ms", 3000, as_tuple);
              if (ec != pgfns::errc::call_timeout) {
                const std::lock_guard lock(mu);
                wrong.push_back("read " + std::to_string(n) + ": " + ec.message());
              }
            } else {
              auto [ec, r] =
                  co_await d.call("slow_add_item", "slow " + std::to_string(n), 3.0, as_tuple);
              if (!ec) {
                ++writes_done;
              } else if (ec != pgfns::errc::call_timeout) {  // the server stopped it
                const std::lock_guard lock(mu);
                wrong.push_back("write " + std::to_string(n) + ": " + ec.message());
              }
            }
            ++finished;
          },
          boost::asio::detached);
    }
    BOOST_TEST_REQUIRE(co_await all_finished(ioc, finished, callers));
    {
      const std::lock_guard lock(mu);
      BOOST_TEST(wrong.empty(), (wrong.empty() ? "" : wrong.front()));
    }
    const pgfns::result after = co_await counter.call_with(on_primary, "count_items");
    BOOST_TEST(after[0].at("count_items").as_int64() - before == writes_done.load());
  });
}

// Closing from a thread outside the io_context while callers on every thread keep calling:
// each call ends with its answer or errc::shut_down, and nothing is left running.
BOOST_AUTO_TEST_CASE(closing_from_another_thread) {
  core_database db("threads_close");
  run_threaded([&](io_context& ioc) -> awaitable<void> {
    auto options = db.options();
    options.threads = 2;
    pgfns::database d(ioc.get_executor(), options);
    co_await d.async_start();
    std::mutex mu;
    std::vector<std::string> wrong;
    std::atomic<int> answered{0};
    std::atomic<int> finished{0};
    constexpr int callers = 40;
    for (int n = 0; n < callers; ++n) {
      boost::asio::co_spawn(
          ioc,
          [&, n]() -> awaitable<void> {
            for (int i = 0;; ++i) {
              auto [ec, r] = co_await d.call("sum_two", n, i, as_tuple);
              if (ec == pgfns::errc::shut_down) break;
              if (ec || r[0].at("sum_two").as_int64() != n + i) {
                const std::lock_guard lock(mu);
                wrong.push_back(std::to_string(n) + ": " + ec.message());
                break;
              }
              ++answered;
            }
            ++finished;
          },
          boost::asio::detached);
    }
    // Closed once calls are being answered on every caller's behalf (a fixed pause would not
    // be enough under valgrind).
    for (int i = 0; i < 3000 && answered.load() < 2 * callers; ++i)
      co_await pause(ioc, std::chrono::milliseconds(20));
    BOOST_TEST_REQUIRE(answered.load() >= 2 * callers);
    std::thread([&] { d.close(); }).join();
    BOOST_TEST_REQUIRE(co_await all_finished(ioc, finished, callers));
    const std::lock_guard lock(mu);
    BOOST_TEST(wrong.empty(), (wrong.empty() ? "" : wrong.front()));
  });
}

// One io_context per thread, a shard on each: a caller on either context is served by that
// context's shard, on its thread, with no hop to the other.
BOOST_AUTO_TEST_CASE(one_shard_per_io_context) {
  core_database db("threads_per_context");
  std::mutex mu;
  std::set<std::thread::id> hooks_ran_on;
  run_on_threads(
      2, 1,
      [&](context_list& contexts, thread_ids& ids) -> awaitable<void> {
        auto options = db.options();
        options.read_pool_size = 2;
        options.write_pool_size = 2;
        options.monitor.on_call = [&](const pgfns::call_event&) {
          const std::lock_guard lock(mu);
          hooks_ran_on.insert(std::this_thread::get_id());
        };
        pgfns::database d({contexts[0]->get_executor(), contexts[1]->get_executor()}, options);
        BOOST_TEST(d.options().threads == 2u);
        co_await d.async_start();
        constexpr int callers = 100;
        tally t;
        for (int n = 0; n < callers; ++n)
          boost::asio::co_spawn(*contexts[static_cast<std::size_t>(n % 2)], caller(d, n, 9, t),
                                boost::asio::detached);
        BOOST_TEST_REQUIRE(co_await all_finished(*contexts[0], t.finished, callers));
        {
          const std::lock_guard lock(t.mutex);
          BOOST_TEST(t.failures.empty(), (t.failures.empty() ? "" : t.failures.front()));
          BOOST_TEST(t.wrong == 0);
          BOOST_TEST(t.ids.size() == static_cast<std::size_t>(callers));
        }
        const std::lock_guard lock(mu);
        BOOST_TEST(hooks_ran_on == (std::set<std::thread::id>{ids[0], ids[1]}));
      },
      std::chrono::seconds(300));
}

BOOST_AUTO_TEST_CASE(executors_and_threads_must_agree) {
  core_database db("threads_disagree");
  io_context ioc;
  auto options = db.options();
  options.threads = 3;
  try {
    pgfns::database d({ioc.get_executor(), ioc.get_executor()}, options);
    BOOST_FAIL("a database with threads = 3 on 2 executors was made");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("options.threads is 3 but 2 executors were given") !=
                   std::string::npos,
               e.what());
  }
  options.threads = 1;
  try {
    pgfns::database d(std::vector<pgfns::database::executor_type>{}, options);
    BOOST_FAIL("a database on no executor was made");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("no executor given") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(zero_threads_refused_by_name) {
  core_database db("threads_zero");
  auto options = db.options();
  options.threads = 0;
  io_context ioc;
  try {
    pgfns::database d(ioc.get_executor(), options);
    BOOST_FAIL("a database with threads = 0 was made");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()).find("options.threads is 0") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()

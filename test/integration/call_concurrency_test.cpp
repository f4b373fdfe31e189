// Many coroutines at once: 1,000 coroutines make 10,000 calls in total (reads and writes) and
// every one gets its own, correct answer, with pipelining on and off.
#include <pgfns/database.hpp>

#include "core_db.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

using boost::asio::awaitable;
using boost::asio::io_context;
using pgfns::test::core_database;
using pgfns::test::run_coroutine;

namespace {

constexpr int coroutines = 1000;
constexpr int calls_each = 10;  // 9 reads and 1 write

struct tally {
  int finished = 0;
  int wrong = 0;
  std::vector<std::string> failures;
  std::set<std::int64_t> ids;
};

awaitable<void> worker(pgfns::database& d, int n, tally& t) {
  try {
    for (int i = 0; i < calls_each - 1; ++i) {
      const pgfns::result r = co_await d.call("sum_two", n, i);
      if (r[0].at("sum_two").as_int64() != n + i) ++t.wrong;
    }
    const std::string name = "item " + std::to_string(n);
    const pgfns::result w = co_await d.call("add_item", name);
    t.ids.insert(w[0].at("id").as_int64());
  } catch (const pgfns::error& e) {
    t.failures.push_back(e.what());
  }
  ++t.finished;
}

void run_many(bool pipelining) {
  core_database db(pipelining ? "many_pipelined" : "many_serial");
  run_coroutine(
      [&](io_context& ioc) -> awaitable<void> {
        auto options = db.options();
        options.pipelining = pipelining;
        options.read_pool_size = 6;
        options.write_pool_size = 4;
        options.acquire_timeout = std::chrono::seconds(60);
        pgfns::database d(ioc.get_executor(), options);
        co_await d.async_start();
        tally t;
        for (int n = 0; n < coroutines; ++n)
          boost::asio::co_spawn(ioc, worker(d, n, t), boost::asio::detached);
        boost::asio::steady_timer timer(ioc);
        while (t.finished < coroutines) {
          timer.expires_after(std::chrono::milliseconds(20));
          co_await timer.async_wait(boost::asio::deferred);
        }
        BOOST_TEST(t.failures.empty(), (t.failures.empty() ? "" : t.failures.front()));
        BOOST_TEST(t.wrong == 0);
        BOOST_TEST(t.ids.size() == static_cast<std::size_t>(coroutines));
        const auto reads = d.stats(pgfns::pool_role::read);
        const auto writes = d.stats(pgfns::pool_role::write);
        BOOST_TEST(reads.calls + writes.calls == std::uint64_t{coroutines * calls_each});
        BOOST_TEST(reads.errors + writes.errors == 0u);
        BOOST_TEST(reads.total <= 6u);
        BOOST_TEST(writes.total <= 4u);
        BOOST_TEST(reads.waiting + writes.waiting == 0u);
        const pgfns::result count = co_await d.call("server_info_write");
        BOOST_TEST(!count.empty());
      },
      std::chrono::seconds(240));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(call_concurrency)

BOOST_AUTO_TEST_CASE(thousand_coroutines_with_pipelining) {
  run_many(true);
}

BOOST_AUTO_TEST_CASE(thousand_coroutines_without_pipelining) {
  run_many(false);
}

BOOST_AUTO_TEST_SUITE_END()

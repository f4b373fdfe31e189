// What the shards of a database share (database_options::threads > 1): the pool split, the
// turn for calls made off the strands, the last write's time, and the counts they publish.
#include "client/shard_group.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>
#include <vector>

using pgfns::detail::shard_group;
using pgfns::detail::shard_pool_size;
using pgfns::detail::shard_snapshot;

BOOST_AUTO_TEST_SUITE(shard_group_tests)

BOOST_AUTO_TEST_CASE(pools_split_evenly_with_at_least_one_each) {
  BOOST_TEST(shard_pool_size(4, 2, 0) == 2u);
  BOOST_TEST(shard_pool_size(4, 2, 1) == 2u);
  BOOST_TEST(shard_pool_size(10, 3, 0) == 4u);
  BOOST_TEST(shard_pool_size(10, 3, 1) == 3u);
  BOOST_TEST(shard_pool_size(10, 3, 2) == 3u);
  BOOST_TEST(shard_pool_size(1, 3, 2) == 1u);  // more shards than connections
  BOOST_TEST(shard_pool_size(0, 1, 0) == 0u);  // one shard: the size as given
  BOOST_TEST(shard_pool_size(7, 1, 0) == 7u);
  for (std::size_t total = 1; total < 40; ++total) {
    for (std::size_t n = 1; n <= total; ++n) {
      std::size_t sum = 0;
      for (std::size_t k = 0; k < n; ++k) sum += shard_pool_size(total, n, k);
      BOOST_TEST(sum == total, total << " over " << n);
    }
  }
}

BOOST_AUTO_TEST_CASE(calls_off_the_strands_take_each_shard_in_turn) {
  boost::asio::io_context ioc;
  shard_group g(ioc.get_executor(), 3);
  std::vector<std::size_t> turns;
  for (int i = 0; i < 7; ++i) turns.push_back(g.next_shard());
  BOOST_TEST(turns == (std::vector<std::size_t>{0, 1, 2, 0, 1, 2, 0}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_last_write_is_the_latest_from_any_thread) {
  boost::asio::io_context ioc;
  shard_group g(ioc.get_executor(), 2);
  BOOST_TEST(!g.last_write_ended());
  const auto base = shard_group::clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i)
        g.write_ended(base + std::chrono::microseconds((i * 4 + t) % 3001));
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST((g.last_write_ended() == base + std::chrono::microseconds(3000)));
  g.write_ended(base);  // an earlier end does not move it back
  BOOST_TEST((g.last_write_ended() == base + std::chrono::microseconds(3000)));
}

BOOST_AUTO_TEST_CASE(counts_add_up_over_the_shards) {
  boost::asio::io_context ioc;
  shard_group g(ioc.get_executor(), 2);
  shard_snapshot a;
  a.write.total = 2;
  a.write.calls = 10;
  a.write.available = false;
  a.read.busy = 1;
  a.read.errors = 3;
  a.read.available = false;
  pgfns::server_stats s;
  s.server = "primary:5432";
  s.role = "primary";
  s.pool_counts.calls = 10;
  s.pool_counts.available = false;
  a.servers.push_back(s);
  shard_snapshot b = a;
  b.write.calls = 5;
  b.write.available = true;
  b.servers[0].role = "ignored: the first shard's view";
  b.servers[0].pool_counts.calls = 5;
  b.servers[0].pool_counts.available = true;
  g.publish(0, a);
  g.publish(1, b);
  const auto w = g.stats(pgfns::pool_role::write);
  BOOST_TEST(w.total == 4u);
  BOOST_TEST(w.calls == 15u);
  BOOST_TEST(w.available);  // while any shard reaches the server
  const auto r = g.stats(pgfns::pool_role::read);
  BOOST_TEST(r.busy == 2u);
  BOOST_TEST(r.errors == 6u);
  BOOST_TEST(!r.available);
  const auto servers = g.servers();
  BOOST_TEST_REQUIRE(servers.size() == 1u);
  BOOST_TEST(servers[0].role == "primary");
  BOOST_TEST(servers[0].pool_counts.calls == 15u);
  BOOST_TEST(servers[0].pool_counts.available);
}

BOOST_AUTO_TEST_SUITE_END()

// Two upgrades started at the same moment against one database: one does the work, the other
// waits for the advisory lock and finds nothing left to do; the database ends at the target
// once. A waiter gives up clearly after its lock timeout.
#include "upgrade_test.hpp"

#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <exception>
#include <thread>

using namespace pgfns;
using namespace pgfns::test;

BOOST_AUTO_TEST_SUITE(upgrade_concurrent)

BOOST_AUTO_TEST_CASE(two_upgraders_apply_each_version_once, *pgfns::test::needs_shared()) {
  const auto s = schema::from_db_directory(taskcluster_db());
  constexpr int target = 30;
  service_roles roles("conc");
  scratch_database db("conc");

  std::atomic<int> applied{0};
  std::atomic<int> ready{0};
  std::exception_ptr failures[2];
  auto run = [&](int i) {
    auto o = options_for(db, roles.prefix());
    o.target = target;
    o.progress = [&](const progress_event& e) {
      if (e.what == progress_event::kind::upgraded) ++applied;
    };
    ++ready;
    while (ready < 2) std::this_thread::yield();
    try {
      upgrade(s, o);
    } catch (...) {
      failures[i] = std::current_exception();
    }
  };
  std::thread a(run, 0);
  std::thread b(run, 1);
  a.join();
  b.join();

  for (const auto& f : failures) {
    try {
      if (f) std::rethrow_exception(f);
    } catch (const std::exception& e) {
      BOOST_ERROR("an upgrader failed: " << e.what());
    }
  }
  BOOST_TEST(applied == target);
  BOOST_TEST(db_version(db.write_url()) == target);
  BOOST_TEST(count_of(db, "select count(*) from tcversion_history") == target);
  BOOST_TEST(count_of(db, "select count(*) from tcversion") == 1);
}

BOOST_AUTO_TEST_CASE(a_waiter_gives_up_after_its_lock_timeout) {
  const auto s = schema::from_db_directory(own_fixture("upgrade-lifecycle"));
  service_roles roles("wait");
  scratch_database db("wait");
  // Another upgrader holds the lock: a session inside the database named as pgfns names its
  // upgrades, blocked in pg_sleep.
  const std::string url = db.write_url();
  const std::string upgrader =
      url + (url.find('?') == std::string::npos ? "?" : "&") + "application_name=pgfns%20upgrade";
  std::thread holder([&] {
    query(upgrader,
          "select pg_advisory_lock(" + std::to_string(upgrade_lock_key) + "), pg_sleep(3)");
  });
  // Give the holder time to take the lock.
  while (count_of(db,
                  "select count(*) from pg_locks where locktype = 'advisory' and "
                  "database = (select oid from pg_database where datname = current_database())") ==
         0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto o = options_for(db, roles.prefix());
  o.lock_timeout = std::chrono::milliseconds(200);
  try {
    upgrade(s, o);
    BOOST_ERROR("the upgrade did not wait for the lock");
  } catch (const upgrade_error& e) {
    BOOST_TEST(e.sqlstate() == "55P03");
    BOOST_TEST(std::string(e.what()).find("another upgrade or downgrade") != std::string::npos);
  }
  BOOST_TEST(db_version(db.write_url()) == 0);
  holder.join();
}

BOOST_AUTO_TEST_SUITE_END()

// pgfns/testing.hpp, the helpers for services' own tests: a database per suite with its service
// users, reset, and version tests with online batches inspected before, during and after.
// The suites use the ctest cluster through PGFNS_TEST_DB_URL (pgfns::test::shared_servers());
// one case starts throwaway servers of its own and checks that they go away.
#include "core_db.hpp"
#include "schema_test_paths.hpp"

#include <pgfns/testing.hpp>

#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using boost::asio::awaitable;
using pgfns::online_checkpoint;
using pgfns::testing::test_database;

namespace {

std::shared_ptr<const pgfns::schema> load(const std::filesystem::path& dir) {
  return std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(dir));
}

std::shared_ptr<const pgfns::schema> shop() {
  static const auto s = load(pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db");
  return s;
}

std::shared_ptr<const pgfns::schema> online() {
  static const auto s = load(pgfns::test::own_fixture("upgrade-online"));
  return s;
}

long long count(const test_database& db, const std::string& sql) {
  return std::stoll(pgfns::testing::query_value(db.admin_url(), sql));
}

bool has_column(const test_database& db, const std::string& column) {
  return count(db,
               "select count(*) from information_schema.columns where table_name = 'items' "
               "and column_name = '" +
                   column + "'") == 1;
}

// get_item(id) through a `database` of service store built for the database's version, as its
// own user, reading from the standby.
std::string item_name(const test_database& db, int id) {
  std::string name;
  pgfns::test::run_with_database(db.options("store", db.version()),
                                 [&](pgfns::database& d) -> awaitable<void> {
                                   const pgfns::result r = co_await d.call("get_item", id);
                                   BOOST_TEST_REQUIRE(r.size() == 1u);
                                   BOOST_TEST(r.diag.pool == "read");
                                   name = r[0].at("name").as_string().c_str();
                                 });
  return name;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(testing_helpers)

BOOST_AUTO_TEST_CASE(a_database_per_suite_serves_each_service_as_its_own_user) {
  std::string name, prefix;
  {
    test_database db(pgfns::test::shared_servers(), shop(), {.label = "helpers"});
    name = db.name();
    prefix = db.prefix();
    BOOST_TEST(db.version() == shop()->latest_version());
    // Each service user exists, with a password (logins work where the server asks for one).
    BOOST_TEST(count(db, "select count(*) from pg_authid where starts_with(rolname, '" + prefix +
                             "_') and rolpassword is not null") ==
               static_cast<long long>(shop()->services().size()));

    pgfns::test::run_coroutine([&](boost::asio::io_context& ioc) -> awaitable<void> {
      auto catalog = db.open(ioc.get_executor(), "catalog");
      co_await catalog.async_start();
      const pgfns::result made = co_await catalog.call("create_product", "sku-helpers", "Helper",
                                                       "text", 2.5, 3, nullptr, nullptr);
      BOOST_TEST_REQUIRE(made.size() == 1u);
      // The connection is the service's own user, not the superuser.
      BOOST_TEST(count(db, "select count(*) from pg_stat_activity where datname = '" + db.name() +
                               "' and usename = '" + prefix + "_catalog'") >= 1);
    });
    BOOST_TEST(count(db, "select count(*) from products where sku = 'sku-helpers'") == 1);

    // reset() empties the tables of tables.yml and restarts their sequences.
    db.reset();
    BOOST_TEST(count(db, "select count(*) from products") == 0);
    BOOST_TEST(db.version() == shop()->latest_version());
    pgfns::test::run_coroutine([&](boost::asio::io_context& ioc) -> awaitable<void> {
      auto catalog = db.open(ioc.get_executor(), "catalog");
      co_await catalog.async_start();
      const pgfns::result made = co_await catalog.call("create_product", "sku-again", "Again",
                                                       "text", 1.0, 1, nullptr, nullptr);
      BOOST_TEST_REQUIRE(made.size() == 1u);
      BOOST_TEST(made[0].at("product_id").to_number<long long>() == 1);
    });

    BOOST_CHECK_EXCEPTION(db.options("billing"), std::invalid_argument,
                          [](const std::invalid_argument& e) {
                            const std::string what = e.what();
                            return what.find("'billing'") != std::string::npos &&
                                   what.find("catalog") != std::string::npos;
                          });
  }
  // Dropped with its users.
  const auto& admin = pgfns::test::server().primary;
  BOOST_TEST(pgfns::testing::query_value(
                 admin, "select count(*) from pg_database where datname = '" + name + "'") == "0");
  BOOST_TEST(pgfns::testing::query_value(admin,
                                         "select count(*) from pg_roles where "
                                         "starts_with(rolname, '" +
                                             prefix + "_')") == "0");
}

BOOST_AUTO_TEST_CASE(a_version_test_inspects_an_online_migration_batch_by_batch) {
  int rounds_started = 0, finished = 0, downgrades_finished = 0;
  std::vector<std::int64_t> items_seen;
  const auto report = pgfns::testing::version_test(
      pgfns::test::shared_servers(), online(),
      {.version = 2,
       .rounds = 2,
       .batch_size = 2500,
       .create_data =
           [](test_database& db) {
             BOOST_TEST(db.version() == 1);
             db.exec("delete from items where id > 6000");
           },
       .start_check =
           [&](test_database& db) {
             ++rounds_started;
             BOOST_TEST(db.version() == 2);
             BOOST_TEST(has_column(db, "label"));
             BOOST_TEST(count(db, "select count(*) from items where label is not null") == 0);
             // The service works at N while its data migrates, from the standby.
             BOOST_TEST(item_name(db, 7) == "item7");
           },
       .concurrent_check =
           [&](test_database& db, const online_checkpoint& c) {
             BOOST_TEST(c.operation == "online_migration_v2");
             BOOST_TEST(!c.downgrade);
             BOOST_TEST((c.at == online_checkpoint::stage::during));
             // Each batch is committed when the check sees it: exactly c.items are labelled.
             BOOST_TEST(count(db, "select count(*) from items where label is not null") == c.items);
             items_seen.push_back(c.items);
             BOOST_TEST(item_name(db, 7) == "item7");
           },
       .finished_check =
           [&](test_database& db) {
             ++finished;
             BOOST_TEST(count(db, "select count(*) from items where label = upper(name)") == 6000);
             BOOST_TEST(count(db,
                              "select count(*) from pg_proc where proname like "
                              "'online\\_migration%'") == 0);
           },
       .start_downgrade_check = [](test_database& db) { BOOST_TEST(db.version() == 1); },
       .concurrent_downgrade_check =
           [](test_database&, const online_checkpoint& c) {
             BOOST_FAIL("version 2 has no online downgrade, yet a checkpoint came: " + c.operation);
           },
       .finished_downgrade_check =
           [&](test_database& db) {
             ++downgrades_finished;
             BOOST_TEST(!has_column(db, "label"));
             BOOST_TEST(count(db, "select count(*) from items") == 6000);
           }});
  BOOST_TEST(rounds_started == 2);
  BOOST_TEST(finished == 2);
  BOOST_TEST(downgrades_finished == 2);
  // 2,500 + 2,500 + 1,000, then the batch that finds nothing left: four batches each round.
  BOOST_TEST(report.upgrade_batches == (std::vector<std::int64_t>{4, 4}),
             boost::test_tools::per_element());
  BOOST_TEST(report.downgrade_batches == (std::vector<std::int64_t>{0, 0}),
             boost::test_tools::per_element());
  BOOST_TEST(
      items_seen == (std::vector<std::int64_t>{2500, 5000, 6000, 6000, 2500, 5000, 6000, 6000}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_version_test_inspects_an_online_downgrade) {
  std::vector<std::int64_t> items_seen;
  bool started = false;
  const auto report = pgfns::testing::version_test(
      pgfns::test::shared_servers(), online(),
      {.version = 3,
       .rounds = 1,
       .batch_size = 4000,
       .start_check = [](test_database& db) { BOOST_TEST(!has_column(db, "name")); },
       .start_downgrade_check =
           [&](test_database& db) {
             started = true;
             BOOST_TEST(db.version() == 2);
             BOOST_TEST(count(db, "select count(*) from items where name is null") == 10000);
           },
       .concurrent_downgrade_check =
           [&](test_database& db, const online_checkpoint& c) {
             BOOST_TEST(c.operation == "online_downgrade_v3");
             BOOST_TEST(c.downgrade);
             BOOST_TEST(count(db, "select count(*) from items where name is not null") == c.items);
             items_seen.push_back(c.items);
           },
       .finished_downgrade_check =
           [](test_database& db) {
             BOOST_TEST(count(db, "select count(*) from items where name = lower(label)") == 10000);
           }});
  BOOST_TEST(started);
  BOOST_TEST(report.upgrade_batches == (std::vector<std::int64_t>{0}),
             boost::test_tools::per_element());
  BOOST_TEST(report.downgrade_batches == (std::vector<std::int64_t>{4}),
             boost::test_tools::per_element());
  BOOST_TEST(items_seen == (std::vector<std::int64_t>{4000, 8000, 10000, 10000}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_failing_check_stops_the_migration_where_it_was) {
  // A check that throws ends the version test there, with its exception: no later batch runs.
  std::int64_t last_batch = 0;
  BOOST_CHECK_EXCEPTION(
      pgfns::testing::version_test(
          pgfns::test::shared_servers(), online(),
          {.version = 2,
           .rounds = 1,
           .batch_size = 3000,
           .concurrent_check =
               [&](test_database& db, const online_checkpoint& c) {
                 last_batch = c.batches;
                 BOOST_TEST(count(db, "select count(*) from items where label is not null") ==
                            c.items);
                 if (c.batches == 2) throw std::runtime_error("check failed at batch 2");
               }}),
      std::runtime_error, [](const std::runtime_error& e) {
        return std::string(e.what()) == "check failed at batch 2";
      });
  BOOST_TEST(last_batch == 2);
}

BOOST_AUTO_TEST_CASE(bad_steps_are_refused_by_name) {
  const auto refused = [](pgfns::testing::version_test_steps steps, const std::string& expect) {
    BOOST_CHECK_EXCEPTION(
        pgfns::testing::version_test(pgfns::test::shared_servers(), online(), steps),
        std::invalid_argument, [&](const std::invalid_argument& e) {
          BOOST_TEST_INFO(e.what());
          return std::string(e.what()).find(expect) != std::string::npos;
        });
  };
  refused({.version = 0}, "version 0 is outside the schema's versions 1..3");
  refused({.version = 4}, "version 4 is outside the schema's versions 1..3");
  refused({.version = 2, .rounds = 0}, "rounds 0");
  refused({.version = 2, .batch_size = 0}, "batch_size 0");

  // upgrade_options::online_batch_size below 0 is refused when the online migration starts.
  test_database db(pgfns::test::shared_servers(), online(), {.version = 1, .label = "negative"});
  BOOST_CHECK_EXCEPTION(
      db.migrate_to(2, [](pgfns::upgrade_options& o) { o.online_batch_size = -1; }),
      pgfns::upgrade_error, [](const pgfns::upgrade_error& e) {
        BOOST_TEST_INFO(e.what());
        return e.version() == 2 &&
               std::string(e.what()).find("online_batch_size is -1") != std::string::npos;
      });
  BOOST_TEST(count(db, "select count(*) from items where label is not null") == 0);
}

BOOST_AUTO_TEST_CASE(throwaway_servers_start_and_go_away) {
  // Without PGFNS_TEST_DB_URL, test_servers starts a primary and a hot standby of its own.
  pgfns::test::shared_servers();  // sets PGFNS_TEST_DB_URL to the ctest cluster's when unset
  const std::string saved_primary = std::getenv("PGFNS_TEST_DB_URL");
  const char* saved_standby = std::getenv("PGFNS_TEST_READ_URL");
  const std::string standby_env = saved_standby ? saved_standby : "";
  ::unsetenv("PGFNS_TEST_DB_URL");
  ::unsetenv("PGFNS_TEST_READ_URL");
  std::string primary;
  try {
    pgfns::testing::test_servers servers;
    ::setenv("PGFNS_TEST_DB_URL", saved_primary.c_str(), 1);
    ::setenv("PGFNS_TEST_READ_URL", standby_env.c_str(), 1);
    BOOST_TEST(servers.started_here());
    primary = servers.primary_url();
    BOOST_TEST(primary != saved_primary);
    BOOST_TEST_REQUIRE(!servers.standby_url().empty());
    BOOST_TEST(pgfns::testing::query_value(servers.standby_url(), "select pg_is_in_recovery()") ==
               "t");
    test_database db(servers, shop(), {.label = "own"});
    db.exec(
        "insert into products (sku, name, description, price, stock) values ('own', 'Own', "
        "'', 1, 1)");
    db.wait_for_standby();
    BOOST_TEST(pgfns::testing::query_value(db.admin_read_url(), "select count(*) from products") ==
               "1");
  } catch (...) {
    ::setenv("PGFNS_TEST_DB_URL", saved_primary.c_str(), 1);
    ::setenv("PGFNS_TEST_READ_URL", standby_env.c_str(), 1);
    throw;
  }
  // Stopped: the primary no longer accepts connections.
  BOOST_CHECK_THROW(pgfns::testing::query(primary + "?connect_timeout=5", "select 1"),
                    pgfns::testing::sql_error);
}

BOOST_AUTO_TEST_CASE(throwaway_servers_go_away_when_their_process_is_killed) {
  // A test process killed by a timeout never runs its destructors: the watchdog stops its
  // servers. The child here starts them, says where the primary is, and waits to be killed.
  pgfns::test::shared_servers();  // PGFNS_TEST_DB_URL set now: unset in the child only
  int fds[2];
  BOOST_REQUIRE(pipe(fds) == 0);
  const pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    close(fds[0]);
    ::unsetenv("PGFNS_TEST_DB_URL");
    ::unsetenv("PGFNS_TEST_READ_URL");
    try {
      pgfns::testing::test_servers servers;
      const auto line = servers.primary_url() + "\n";
      if (write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(3);
      while (true) pause();
    } catch (...) {
      _exit(2);
    }
  }
  close(fds[1]);
  std::string primary;
  char ch;
  while (read(fds[0], &ch, 1) == 1 && ch != '\n') primary += ch;
  close(fds[0]);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  BOOST_TEST_REQUIRE(!primary.empty(), "the child did not start its servers");
  // Stopped within a minute (a fast shutdown, then the files removed).
  bool gone = false;
  for (int i = 0; i < 600 && !gone; ++i) {
    try {
      pgfns::testing::query(primary + "?connect_timeout=5", "select 1");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } catch (const pgfns::testing::sql_error&) {
      gone = true;
    }
  }
  BOOST_TEST(gone);
}

BOOST_AUTO_TEST_SUITE_END()

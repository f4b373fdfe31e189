// Online migrations and downgrades run in batches, each its own transaction, with a batch size
// that grows toward about a second of work; an interrupted run resumes from the last committed
// batch; the functions are dropped when done. Fixture: 10,000 items labelled online.
#include "upgrade_test.hpp"

#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

using namespace pgfns;
using namespace pgfns::test;

namespace {

struct online {
  service_roles roles{"online"};
  scratch_database db{"online"};
  schema s = schema::from_db_directory(own_fixture("upgrade-online"));
  std::vector<progress_event> events;

  upgrade_options to(int target) {
    auto o = options_for(db, roles.prefix(), &events);
    o.target = target;
    return o;
  }
  long long count(const std::string& sql) const { return count_of(db, sql); }
  long long online_functions() const {
    return count("select count(*) from pg_proc where proname like 'online\\_%'");
  }
  std::vector<long long> batch_sizes(const std::string& operation) const {
    std::vector<long long> sizes;
    for (const auto& row : query(db.write_url(),
                                 "select batch_size from batch_log where "
                                 "operation = '" +
                                     operation + "' order by logged_at")) {
      sizes.push_back(std::stoll(*row[0]));
    }
    return sizes;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(upgrade_online)

BOOST_FIXTURE_TEST_CASE(migration_runs_in_growing_batches_and_cleans_up, online) {
  upgrade(s, to(2));
  BOOST_TEST(db_version(db.write_url()) == 2);
  BOOST_TEST(count("select count(*) from items where label = upper(name)") == 10000);
  BOOST_TEST(online_functions() == 0);
  BOOST_TEST(count("select count(*) from tcversion_online") == 0);

  // Each batch committed on its own (the log rows would vanish with a rolled-back batch), the
  // first ones small, the following ones larger while they were quick.
  const auto sizes = batch_sizes("migration");
  BOOST_TEST_MESSAGE("batch sizes: " << sizes.size() << " batches");
  BOOST_REQUIRE(sizes.size() >= 3u);
  BOOST_TEST(sizes[0] == 1);
  BOOST_TEST(sizes[1] > sizes[0]);
  BOOST_TEST(sizes[2] > sizes[1]);

  bool done_reported = false;
  for (const auto& e : events) {
    if (e.what == progress_event::kind::online_done && e.version == 2) {
      done_reported = true;
      BOOST_TEST(e.items == 10000);
    }
  }
  BOOST_TEST(done_reported);
}

BOOST_FIXTURE_TEST_CASE(an_interrupted_migration_resumes_where_it_stopped, online) {
  upgrade(s, to(1));
  db.exec("insert into batch_brake (after_items) values (2000)");
  try {
    upgrade(s, to(2));
    BOOST_FAIL("the brake did not stop the online migration");
  } catch (const upgrade_error& e) {
    BOOST_TEST_MESSAGE(e.what());
    BOOST_TEST(e.version() == 2);
    BOOST_TEST(std::string(e.what()).find("batch_brake engaged") != std::string::npos);
  }
  // Version 2 committed; the migration stopped part-way with its state saved.
  BOOST_TEST(db_version(db.write_url()) == 2);
  const long long labelled = count("select count(*) from items where label is not null");
  BOOST_TEST(labelled >= 2000);
  BOOST_TEST(labelled < 10000);
  BOOST_TEST(online_functions() == 2);
  const std::string saved = query_value(db.write_url(),
                                        "select (state ->> 'id') from tcversion_online "
                                        "where operation = 'online_migration_v2'");
  BOOST_TEST(std::stoll(saved) == labelled);

  db.exec("delete from batch_brake; delete from batch_log");
  const auto plan = plan_upgrade(s, to(2));
  BOOST_REQUIRE(plan.resume_online.size() == 1u);
  BOOST_TEST(plan.resume_online[0] == "online_migration_v2");
  upgrade(s, to(2));

  // The first batch of the second run started from the saved cursor, not from scratch.
  BOOST_TEST(query_value(db.write_url(),
                         "select state_in ->> 'id' from batch_log order by logged_at limit 1") ==
             saved);
  BOOST_TEST(count("select count(*) from items where label = upper(name)") == 10000);
  BOOST_TEST(online_functions() == 0);
  BOOST_TEST(count("select count(*) from tcversion_online") == 0);
}

BOOST_FIXTURE_TEST_CASE(online_downgrade_refills_the_dropped_column, online) {
  upgrade(s, to(3));
  BOOST_TEST(count("select count(*) from information_schema.columns where table_name = 'items' "
                   "and column_name = 'name'") == 0);
  downgrade(s, to(2));
  BOOST_TEST(db_version(db.write_url()) == 2);
  BOOST_TEST(count("select count(*) from items where name = 'item' || id") == 10000);
  BOOST_TEST(batch_sizes("downgrade").size() >= 3u);
  BOOST_TEST(online_functions() == 0);
  downgrade(s, to(0));
  BOOST_TEST(count("select count(*) from pg_class where relname = 'items'") == 0);
}

BOOST_AUTO_TEST_SUITE_END()

// A whole schema, there and back: an empty database upgraded to the latest version with its
// service users created, checked clean, downgraded to 0 leaving no tables, sequences, indexes
// or grants behind (functions may stay), and upgraded again; every version reports progress.
// Run for the real Taskcluster schema (128 versions) and this project's example db/.
#include "upgrade_test.hpp"

#include <pgfns/access_check.hpp>
#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>

using namespace pgfns;
using namespace pgfns::test;

namespace {

// Relations in schema public other than pgfns's bookkeeping tables and their indexes.
constexpr const char* leftover_relations = R"(
  select coalesce(string_agg(c.relname || ' (' || c.relkind::text || ')', ', '), '')
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_index i on i.indexrelid = c.oid
  left join pg_class t on t.oid = i.indrelid
  where n.nspname = 'public' and c.relkind in ('r', 'p', 'S', 'i', 'I', 'v', 'm', 'f')
    and coalesce(t.relname, c.relname) not in ('tcversion', 'tcversion_history',
                                               'tcversion_online'))";

std::vector<int> versions_reported(const std::vector<progress_event>& events,
                                   progress_event::kind what) {
  std::vector<int> versions;
  for (const auto& e : events) {
    if (e.what == what) versions.push_back(e.version);
  }
  return versions;
}

std::vector<int> range(int from, int to) {
  std::vector<int> out;
  for (int v = from; from <= to ? v <= to : v >= to; from <= to ? ++v : --v) out.push_back(v);
  return out;
}

void round_trip(const schema& s, std::string_view label) {
  const int latest = s.latest_version();
  service_roles roles(label);
  scratch_database db(label);

  std::vector<progress_event> events;
  const auto started = std::chrono::steady_clock::now();
  upgrade(s, options_for(db, roles.prefix(), &events));
  const auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST_MESSAGE(label << ": upgrade 0 -> " << latest << ": "
                           << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                           << " ms");
  BOOST_TEST(db_version(db.write_url()) == latest);
  BOOST_TEST(versions_reported(events, progress_event::kind::upgraded) == range(1, latest),
             boost::test_tools::per_element());
  BOOST_TEST(to_string(events.back()).find("version " + std::to_string(latest) + " upgraded in ") ==
             0u);
  BOOST_TEST(check_database(db.write_url(), s, roles.prefix()).empty());

  events.clear();
  auto down = options_for(db, roles.prefix(), &events);
  down.target = 0;
  downgrade(s, down);
  BOOST_TEST(db_version(db.write_url()) == 0);
  BOOST_TEST(versions_reported(events, progress_event::kind::downgraded) == range(latest, 1),
             boost::test_tools::per_element());
  BOOST_TEST(query_value(db.write_url(), leftover_relations) == "");
  // No grants on anything but tcversion.
  BOOST_TEST(query_value(db.write_url(), R"(
    select coalesce(string_agg(c.relname || ': ' || a.privilege_type, ', '), '')
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    cross join lateral aclexplode(c.relacl) a
    where n.nspname = 'public' and c.relname <> 'tcversion' and a.grantee <> c.relowner)") == "");

  events.clear();
  upgrade(s, options_for(db, roles.prefix(), &events));
  BOOST_TEST(db_version(db.write_url()) == latest);
  BOOST_TEST(versions_reported(events, progress_event::kind::upgraded).size() ==
             static_cast<std::size_t>(latest));
  BOOST_TEST(check_database(db.write_url(), s, roles.prefix()).empty());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(upgrade_round_trip)

BOOST_AUTO_TEST_CASE(taskcluster_schema, *pgfns::test::needs_shared()) {
  const auto s = schema::from_db_directory(taskcluster_db());
  BOOST_REQUIRE(s.latest_version() == 128);
  round_trip(s, "tc");
}

BOOST_AUTO_TEST_CASE(example_schema) {
  round_trip(schema::from_db_directory(env_dir("PGFNS_SOURCE_DIR") / "db"), "example");
}

BOOST_AUTO_TEST_SUITE_END()

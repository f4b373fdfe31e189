// What `pgfns new-version` and `pgfns renumber` write runs on the server: a copy of db/ with
// the new version (or a renumbered one) upgrades, passes `pgfns check` and downgrades.
#include "run_process.hpp"
#include "schema_test_paths.hpp"
#include "temp_tree.hpp"
#include "upgrade_test.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>

using namespace pgfns::test;
namespace fs = std::filesystem;

namespace {

struct shop_copy {
  service_roles roles{"authoring"};
  scratch_database db{"authoring"};
  temp_tree tree{shop_db()};

  process_result run(std::vector<std::string> args) const {
    args.insert(args.begin(), std::getenv("PGFNS_CLI"));
    return run_process(args);
  }
  std::vector<std::string> admin(const std::string& command,
                                 std::initializer_list<std::string> more = {}) const {
    std::vector<std::string> args{command,        "--db",     tree.path().string(), "--admin-url",
                                  db.write_url(), "--prefix", roles.prefix()};
    args.insert(args.end(), more);
    return args;
  }
  std::string db_version() const { return run({"db-version", "--admin-url", db.write_url()}).out; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(authoring_cli)

BOOST_FIXTURE_TEST_CASE(a_new_version_upgrades_checks_and_downgrades, shop_copy) {
  auto r = run({"new-version", "--db", tree.path().string()});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == (tree.path() / "versions" / "0005.yml").string() + "\n");

  r = run(admin("upgrade", {"--create-users"}));
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "database at version 5\n");
  r = run(admin("check"));
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "ok\n");

  r = run(admin("downgrade", {"--to", "4"}));
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "database at version 4\n");
  BOOST_TEST(db_version() == "4\n");
}

// A branch's version 4 taken as 5 (with its body file), renumbered back into the gap: the
// renamed body file is the one the upgrade runs.
BOOST_FIXTURE_TEST_CASE(a_renumbered_version_upgrades_and_checks, shop_copy) {
  const fs::path versions = tree.path() / "versions";
  replace_in_file(versions / "0004.yml", "version: 4\n", "version: 5\n");
  replace_in_file(versions / "0004.yml", "body: 0004-place-order.sql",
                  "body: 0005-place-order.sql");
  fs::rename(versions / "0004.yml", versions / "0005.yml");
  fs::rename(versions / "0004-place-order.sql", versions / "0005-place-order.sql");

  auto r = run({"renumber", "--db", tree.path().string(), "5", "4"});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(fs::exists(versions / "0004-place-order.sql"));

  r = run(admin("upgrade", {"--create-users"}));
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "database at version 4\n");
  r = run(admin("check"));
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "ok\n");
}

BOOST_AUTO_TEST_SUITE_END()

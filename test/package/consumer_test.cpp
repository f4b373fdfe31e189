// package.consumer: pgfns used as projects outside this tree use it. test/package/consumers
// installs this build into a temporary prefix and builds programs on it (find_package,
// add_subdirectory, pkg-config), each of which reads a product of a database upgraded to db/,
// as the catalog service's user, from the standby; the find_package one also reads it through
// typed bindings made by the installed tool, and checks them against db.call.
#include "run_process.hpp"
#include "upgrade_test.hpp"

#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

BOOST_AUTO_TEST_CASE(programs_built_on_the_installed_package_read_a_product) {
  pgfns::test::service_roles roles{"package"};
  pgfns::test::scratch_database db{"package"};
  const auto dir = pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db";
  pgfns::upgrade(pgfns::schema::from_db_directory(dir),
                 pgfns::test::options_for(db, roles.prefix()));
  const std::string sku = "package-1";
  const std::string id = pgfns::test::query_value(
      db.write_url(), "insert into products (sku, name, description, price, stock) values ('" +
                          sku +
                          "', 'Packaged', 'read by the consumers', 1.50, 3) returning product_id");
  db.wait_for_standby();

  const std::string catalog = "?user=" + roles.prefix() + "_catalog";
  pgfns::test::process_options options;
  options.timeout = std::chrono::minutes(14);  // two builds of a program, one of the library
  const auto run = pgfns::test::run_process(
      {(pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "test/package/consumers").string(),
       pgfns::test::env_dir("PGFNS_BUILD_DIR").string(), dir.string(), db.write_url() + catalog,
       db.read_url() + catalog, id, sku},
      options);
  BOOST_TEST_MESSAGE(run.out);
  BOOST_TEST_INFO("stdout:\n" << run.out << "stderr:\n" << run.err);
  BOOST_TEST(run.exit_code == 0);
}

// The example service the demo runs (test/example/shop_service.cpp) works against a database
// upgraded to db/, as the orders and catalog services' own users: reads answered by the
// standby, writes by the primary, and the cross-service write refused; directly, and through
// the test servers' pgbouncers in pooler mode (every call of the service through a pooler in
// transaction mode, with 2 server connections per user for pools of 4).
#include "run_process.hpp"
#include "upgrade_test.hpp"

#include <pgfns/upgrade.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

namespace {

// How a call's diagnostics name the server of a URL postgresql://user@host:port/db: host:port/db.
std::string server_of(const std::string& url) {
  const auto begin = url.find('@') + 1;
  return url.substr(begin, url.find('?', begin) - begin);
}

void run_example_service(bool through_pooler) {
  pgfns::test::service_roles roles{"example"};
  pgfns::test::scratch_database db{"example"};
  const auto dir = pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db";
  pgfns::upgrade(pgfns::schema::from_db_directory(dir),
                 pgfns::test::options_for(db, roles.prefix()));
  db.wait_for_standby();

  const std::string orders = "?user=" + roles.prefix() + "_orders";
  const std::string catalog = "?user=" + roles.prefix() + "_catalog";
  const auto write_url = through_pooler ? db.pooled_write_url() : db.write_url();
  const auto read_url = through_pooler ? db.pooled_read_url() : db.read_url();
  std::vector<std::string> args{pgfns::test::env_dir("PGFNS_SHOP_SERVICE").string()};
  if (through_pooler) args.insert(args.end(), {"--pooler", "transaction"});
  args.insert(args.end(),
              {dir.string(), write_url + orders, read_url + orders, write_url + catalog, "40"});
  const auto run = pgfns::test::run_process(args);
  BOOST_TEST_INFO("stdout:\n" << run.out << "stderr:\n" << run.err);
  BOOST_TEST(run.exit_code == 0);
  BOOST_TEST(run.out.find("catalog: stocked 5 products") != std::string::npos);
  BOOST_TEST(run.out.find("set_stock (a catalog write method) refused: wrong_service") !=
             std::string::npos);
  BOOST_TEST(run.out.find("40 writes (place_order) answered by " + server_of(write_url)) !=
             std::string::npos);
  BOOST_TEST(run.out.find("40 reads (get_product) answered by " + server_of(read_url)) !=
             std::string::npos);
  BOOST_TEST(run.out.find("0 failures") != std::string::npos);
  const auto count = pgfns::test::query_value(db.write_url(), "select count(*) from orders");
  BOOST_TEST(count == "40");
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_example_service_reads_on_the_standby_and_writes_on_the_primary) {
  run_example_service(false);
}

BOOST_AUTO_TEST_CASE(the_example_service_works_through_a_transaction_pooler) {
  run_example_service(true);
}

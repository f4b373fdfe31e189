#include "shop_cluster.hpp"

#include "pg_test.hpp"
#include "schema_test_paths.hpp"

#include <chrono>
#include <stdexcept>

namespace pgfns::test {

std::shared_ptr<const pgfns::schema> load_schema(const std::filesystem::path& dir) {
  return std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(dir));
}

std::string server_of(const std::string& url) {
  const auto at = url.find('@');
  if (at == std::string::npos) throw std::invalid_argument("no user in " + url);
  return url.substr(at + 1);
}

shop_cluster::shop_cluster() : shop(load_schema(env_dir("PGFNS_SOURCE_DIR") / "db")) {
  pgfns::upgrade(*shop, upgrade_options());
  query(cluster.primary_url(),
        "insert into products (sku, name, description, price, stock) "
        "values ('sku-1', 'first', 'the first product', 2.50, 10)");
  wait_replayed();
}

pgfns::upgrade_options shop_cluster::upgrade_options() const {
  pgfns::upgrade_options o;
  o.admin_url = cluster.primary_url();
  o.prefix = "rc";
  o.create_users = true;
  return o;
}

pgfns::database_options shop_cluster::options(std::shared_ptr<const pgfns::schema> s,
                                              std::string write_url) const {
  using namespace std::chrono_literals;
  pgfns::database_options o;
  o.schema = std::move(s);
  o.service = "catalog";
  o.write_url = std::move(write_url);
  o.read_urls = {cluster.standby_url(), cluster.standby2_url()};
  o.write_pool_size = 2;
  o.read_pool_size = 2;
  // Longer than any wait of the cases: a write that waits for a connection instead of failing
  // at once takes 20 s, one that hangs ends with call_timeout.
  o.acquire_timeout = 20s;
  o.call_timeout = 60s;
  return o;
}

}  // namespace pgfns::test

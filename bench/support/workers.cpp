#include "workers.hpp"

#include <boost/asio/co_spawn.hpp>

#include <atomic>
#include <exception>
#include <memory>
#include <stdexcept>

namespace pgfns::bench {

pgfns::database_options database_options_from(const options& opts, std::size_t pool_size) {
  if (opts.text("db").empty() || opts.text("write-url").empty()) {
    throw std::invalid_argument("--db DIR and --write-url URL are required");
  }
  pgfns::database_options o;
  o.schema =
      std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(opts.text("db")));
  o.service = opts.text("service");
  o.write_url = opts.text("write-url");
  o.read_url = opts.text("read-url");
  o.read_pool_size = o.write_pool_size = pool_size;
  o.pipeline_depth = static_cast<std::size_t>(opts.integer("depth", 1, 10000));
  o.acquire_timeout = std::chrono::seconds(60);
  const std::string& pooler = opts.text("pooler");
  if (pooler == "transaction") {
    o.pooler = pgfns::pooler_mode::transaction;
  } else if (!pooler.empty() && pooler != "none") {
    throw std::invalid_argument(
        "--pooler: 'transaction' (the URLs lead to a pooler in transaction mode, such as "
        "pgbouncer's pool_mode = transaction) or 'none' (the default), not '" +
        pooler + "'");
  }
  return o;
}

void spawn_workers(pgfns::database& db, long n,
                   const std::function<boost::asio::awaitable<void>(long)>& make,
                   std::function<void(const std::string&)> threw, final_pool_stats& stats,
                   const std::vector<boost::asio::any_io_executor>& on) {
  auto left = std::make_shared<std::atomic<long>>(n);  // workers may end on several threads
  auto on_throw = std::make_shared<std::function<void(const std::string&)>>(std::move(threw));
  for (long i = 0; i < n; ++i) {
    const auto ex = on.empty() ? db.get_executor() : on[static_cast<std::size_t>(i) % on.size()];
    boost::asio::co_spawn(ex, make(i), [&db, &stats, left, on_throw](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& x) {
          (*on_throw)(x.what());
        }
      }
      if (--*left == 0) {
        stats.read = db.stats(pgfns::pool_role::read);
        stats.write = db.stats(pgfns::pool_role::write);
        db.close();
      }
    });
  }
}

}  // namespace pgfns::bench

// What the programs that call through pgfns::database share: the database options read from
// the command line, and a set of coroutines that close the database when the last one ends.
#pragma once

#include "options.hpp"

#include <pgfns/database.hpp>

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <string>
#include <vector>

namespace pgfns::bench {

// --db (a db/ directory), --service, --write-url, --read-url, --depth (calls in flight per
// connection) and --pooler (none, the default, or transaction: database_options::pooler) as
// database options with pools of `pool_size` connections and a 60 s acquire timeout. Throws
// std::invalid_argument when --db or --write-url is missing or --pooler has another value.
pgfns::database_options database_options_from(const options& opts, std::size_t pool_size);

// The pools' counts when the last worker ended, before the database closed.
struct final_pool_stats {
  pgfns::pool_stats read;
  pgfns::pool_stats write;
};

// Spawns make(0) .. make(n - 1) on db's executor, or worker i on on[i % on.size()] when `on`
// is given. `threw` gets what a worker threw; when the last worker has ended, `stats` is filled
// and db is closed. `stats` must outlive the workers. With several threads, workers (and
// `threw`) run on any of them.
void spawn_workers(pgfns::database& db, long n,
                   const std::function<boost::asio::awaitable<void>(long)>& make,
                   std::function<void(const std::string&)> threw, final_pool_stats& stats,
                   const std::vector<boost::asio::any_io_executor>& on = {});

}  // namespace pgfns::bench

// Starting a database of several shards (database_options::threads > 1).
#include "client/complete_later.hpp"
#include "client/database_core.hpp"

#include <pgfns/error.hpp>

#include <boost/asio/dispatch.hpp>

#include <mutex>
#include <string>

namespace pgfns::detail {

namespace {

struct shards_start {
  explicit shards_start(start_handler h) : handler(std::move(h)) {}

  std::mutex mutex;
  start_handler handler;
  std::size_t left = 0;
  boost::system::error_code ec;  // the first failure of a shard after the first
  diagnostics diag;              // the first shard's, or that failure's
};

void finish(const std::shared_ptr<database_core>& first, const std::shared_ptr<shards_start>& st) {
  if (st->ec) boost::asio::dispatch(first->executor(), [first] { first->close(); });
  complete_later(first->group().home(), std::move(st->handler), st->ec, std::move(st->diag));
}

void start_others(const std::shared_ptr<database_core>& first,
                  const std::shared_ptr<shards_start>& st) {
  const auto& others = first->other_shards();
  st->left = others.size();
  for (std::size_t i = 0; i < others.size(); ++i) {
    const auto& shard = others[i];
    const std::size_t number = i + 1;
    boost::asio::dispatch(shard->executor(), [first, shard, st, number] {
      shard->start(start_handler([first, st, number](boost::system::error_code ec, diagnostics d) {
        std::unique_lock lock(st->mutex);
        if (ec && !st->ec) {
          st->ec = ec;
          d.message = "starting shard " + std::to_string(number + 1) + " of " +
                      std::to_string(first->group().size()) +
                      " (database_options::threads), after the first had started: " + d.message;
          st->diag = std::move(d);
        }
        if (--st->left > 0) return;
        lock.unlock();
        finish(first, st);
      }));
    });
  }
}

}  // namespace

void start_shards(const std::shared_ptr<database_core>& first, start_handler handler) {
  auto st = std::make_shared<shards_start>(std::move(handler));
  boost::asio::dispatch(first->executor(), [first, st] {
    first->start(start_handler([first, st](boost::system::error_code ec, diagnostics d) {
      if (ec)
        return complete_later(first->group().home(), std::move(st->handler), ec, std::move(d));
      st->diag = std::move(d);
      start_others(first, st);
    }));
  });
}

}  // namespace pgfns::detail

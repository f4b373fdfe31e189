// Must not compile: a struct Boost.JSON has no conversion for, before a valid completion token.
#include <pgfns/database.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/deferred.hpp>

struct no_conversion {
  int id;
};

boost::asio::awaitable<void> refused_call(pgfns::database& db) {
  const no_conversion value{1};
  auto [ec, r] =
      co_await db.call("add_item", 1, value, boost::asio::as_tuple(boost::asio::deferred));
  (void)ec;
  (void)r;
}

// Must not compile: a time_point is neither a value Boost.JSON converts nor a completion token.
// Before the argument check, it was taken for the completion token (some 80 lines of
// async_initiate errors); now one static_assert names its type.
#include <pgfns/database.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>

boost::asio::awaitable<pgfns::result> refused_call(pgfns::database& db) {
  co_return co_await db.call("get_item", std::chrono::system_clock::now());
}

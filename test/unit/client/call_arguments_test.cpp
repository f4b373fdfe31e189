// The arguments of database::call: which one is the completion token, how the others are packed,
// and that every argument form and token the documentation shows compiles. (A type that cannot
// be converted must not compile: the compile.* tests check that and its error message.)
#include <pgfns/database.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/value_from.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace asio = boost::asio;
namespace json = boost::json;
using pgfns::detail::ends_with_token;
using pgfns::detail::make_call_args;

namespace shop {
// A user's type, converted by its own tag_invoke.
struct money {
  std::int64_t cents;
};
void tag_invoke(json::value_from_tag, json::value& v, const money& m) {
  v = m.cents;
}
}  // namespace shop

namespace {

using callback = void (*)(boost::system::error_code, pgfns::result);
using time_point = std::chrono::system_clock::time_point;

// Every argument form and token of database.hpp and the README, instantiated (never run).
[[maybe_unused]] asio::awaitable<void> every_documented_form(pgfns::database& db) {
  // Named locals: GCC 12 cannot compile a braced temporary inside co_await.
  json::object named{{"id_in", 1}};
  json::array list{1, 2};
  json::array wrapped{named};
  const std::string text = "text";
  const std::string_view view = "view";
  const std::vector<int> numbers{1, 2};
  const std::map<std::string, int> map{{"a", 1}};
  const shop::money price{250};
  pgfns::result r = co_await db.call("m");
  r = co_await db.call("m", 42, 1.5, true, nullptr, "literal", text, view);
  r = co_await db.call("m", json::value(1), numbers, map, price);
  r = co_await db.call("m", named);    // named arguments
  r = co_await db.call("m", list);     // the argument list
  r = co_await db.call("m", wrapped);  // one object as the only argument
  r = co_await db.call_deprecated("m", 1, asio::deferred);
  r = co_await db.call("m", 1, asio::deferred);
  r = co_await db.call("m", 1, asio::use_awaitable);
  r = co_await db.call("m", 1, pgfns::with_diagnostics(asio::deferred));
  auto [ec, r2] = co_await db.call("m", 1, asio::as_tuple(asio::deferred));
  boost::system::error_code redirected;
  r = co_await db.call("m", 1, asio::redirect_error(asio::use_awaitable, redirected));
  asio::cancellation_signal signal;
  r = co_await db.call("m", 1, asio::bind_cancellation_slot(signal.slot(), asio::use_awaitable));
  db.call("m", 1, [](boost::system::error_code, pgfns::result) {});
  db.call("m", 1, asio::detached);
  std::future<pgfns::result> f = db.call("m", 1, asio::use_future);
  co_await db.async_start(asio::deferred);
  (void)ec;
  (void)r2;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(call_arguments)

BOOST_AUTO_TEST_CASE(the_last_argument_is_the_token_only_when_it_is_one) {
  static_assert(!ends_with_token<>);
  static_assert(!ends_with_token<int>);
  static_assert(!ends_with_token<int, const char(&)[2]>);
  static_assert(!ends_with_token<json::object&>);
  static_assert(ends_with_token<int, const asio::deferred_t&>);
  static_assert(ends_with_token<asio::use_awaitable_t<>>);
  static_assert(ends_with_token<int, decltype(asio::as_tuple(asio::deferred))>);
  static_assert(ends_with_token<int, pgfns::with_diagnostics_t<asio::deferred_t>>);
  static_assert(ends_with_token<int, callback>);
  static_assert(ends_with_token<asio::detached_t>);
  // Neither a value nor a token: taken for a value, so that the static_assert names it.
  static_assert(!ends_with_token<time_point>);
  static_assert(!ends_with_token<int, void (*)(int)>);  // a callback of the wrong signature
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(values_are_packed_as_one_array_and_one_object_or_array_is_kept) {
  json::object named{{"id_in", 1}};
  json::array list{1, 2};
  BOOST_TEST(make_call_args() == json::array());
  BOOST_TEST(make_call_args(1, "a", nullptr, shop::money{5}) == (json::array{1, "a", nullptr, 5}));
  BOOST_TEST(make_call_args(named) == named);
  BOOST_TEST(make_call_args(list) == list);
  BOOST_TEST(make_call_args(json::array{named}) == json::array{named});
  BOOST_TEST(make_call_args(named, 2) == (json::array{named, 2}));
}

BOOST_AUTO_TEST_SUITE_END()

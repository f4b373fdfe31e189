// async_start refuses a service the schema does not know, before it connects to anything: such
// a name would connect as a user the schema never granted anything.
#include <pgfns/database.hpp>

#include "schema_test_paths.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

namespace asio = boost::asio;

namespace {

// How async_start completes for `service`; the write URL reaches no server.
std::pair<boost::system::error_code, pgfns::diagnostics> start_as(std::string service) {
  pgfns::database_options o;
  o.schema = std::make_shared<const pgfns::schema>(pgfns::schema::from_db_directory(
      pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "test/fixtures/core-db"));
  o.service = std::move(service);
  o.write_url = "postgresql://127.0.0.1:1/never_connected?connect_timeout=1";
  asio::io_context ioc;
  pgfns::database db(ioc.get_executor(), o);
  std::pair<boost::system::error_code, pgfns::diagnostics> out;
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        auto [ec, d] = co_await db.async_start(asio::as_tuple(asio::deferred));
        out = {ec, std::move(d)};
        db.close();
      },
      asio::detached);
  ioc.run();
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(start_service)

BOOST_AUTO_TEST_CASE(an_unknown_service_is_refused_naming_the_known_ones) {
  for (const std::string name : {"nonexistent", "", "sho\xff\n"}) {
    const auto [ec, d] = start_as(name);
    BOOST_TEST_CONTEXT(name) {
      BOOST_TEST(ec == pgfns::errc::wrong_service);
      BOOST_TEST(d.message.find("is not a service of the schema (its services: audit, shop)") !=
                     std::string::npos,
                 d.message);
      BOOST_TEST(d.message.find('\n') == std::string::npos);
    }
  }
  BOOST_TEST(start_as("sho\xff\n").second.message.starts_with(R"(service "sho\xff\x0a")"));
}

// A known service goes on to connect (and here fails to, as no server listens).
BOOST_AUTO_TEST_CASE(a_known_service_goes_on_to_connect) {
  BOOST_TEST(start_as("shop").first == pgfns::errc::connect_failed);
}

BOOST_AUTO_TEST_SUITE_END()

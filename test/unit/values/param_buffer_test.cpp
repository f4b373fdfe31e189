// param_buffer: the paramValues array of a call, with NULLs, reuse and a refused argument.
#include "values/param_buffer.hpp"
#include "values/pg_types.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace json = boost::json;
namespace oid = pgfns::detail::pg_oid;

BOOST_AUTO_TEST_SUITE(param_buffer)

BOOST_AUTO_TEST_CASE(values_point_at_each_encoded_parameter) {
  pgfns::detail::param_buffer params;
  params.add(42, oid::int4);
  params.add(nullptr, oid::text);
  params.add("abc", oid::jsonb);
  // Long enough to make the buffer grow after the first values were placed.
  const std::string long_text(1000, 'x');
  params.add(json::string(long_text), oid::text);
  params.add(json::parse(R"(["a b", null])"), 1009);
  BOOST_TEST_REQUIRE(params.size() == 5);
  const char* const* v = params.values();
  BOOST_TEST(std::string_view(v[0]) == "42");
  BOOST_TEST(v[1] == nullptr);
  BOOST_TEST(std::string_view(v[2]) == R"("abc")");
  BOOST_TEST(std::string_view(v[3]) == long_text);
  BOOST_TEST(std::string_view(v[4]) == R"({"a b",NULL})");
}

BOOST_AUTO_TEST_CASE(clear_starts_a_new_call) {
  pgfns::detail::param_buffer params;
  params.add("first", oid::text);
  params.clear();
  BOOST_TEST(params.size() == 0);
  params.add(true, oid::boolean);
  BOOST_TEST_REQUIRE(params.size() == 1);
  BOOST_TEST(std::string_view(params.values()[0]) == "true");
}

BOOST_AUTO_TEST_CASE(a_refused_argument_leaves_the_earlier_ones) {
  pgfns::detail::param_buffer params;
  params.add("kept", oid::text);
  const json::value with_nul = json::string(std::string_view("a\0b", 3));
  BOOST_CHECK_THROW(params.add(with_nul, oid::text), std::invalid_argument);
  params.add(7, oid::int8);
  BOOST_TEST_REQUIRE(params.size() == 2);
  BOOST_TEST(std::string_view(params.values()[0]) == "kept");
  BOOST_TEST(std::string_view(params.values()[1]) == "7");
}

BOOST_AUTO_TEST_SUITE_END()

// The SQL text of calls: positional placeholders, named arguments, quoting.
#include "client/pq/statement_text.hpp"

#include <boost/test/unit_test.hpp>

using namespace pgfns::detail;

BOOST_AUTO_TEST_SUITE(statement_text)

BOOST_AUTO_TEST_CASE(positional_calls_number_their_placeholders) {
  BOOST_TEST(positional_call_text("get_widgets", 0) == R"(select * from "get_widgets"())");
  BOOST_TEST(positional_call_text("get_widgets", 1) == R"(select * from "get_widgets"($1))");
  BOOST_TEST(positional_call_text("m", 12) ==
             R"(select * from "m"($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12))");
}

BOOST_AUTO_TEST_CASE(named_calls_use_the_keys_in_order) {
  BOOST_TEST(named_call_text("m", {}) == R"(select * from "m"())");
  BOOST_TEST(named_call_text("place_order", {"product_id_in", "quantity_in"}) ==
             R"(select * from "place_order"("product_id_in" => $1,"quantity_in" => $2))");
}

BOOST_AUTO_TEST_CASE(method_names_are_quoted) {
  BOOST_TEST(positional_call_text(R"(a"b)", 1) == R"(select * from "a""b"($1))");
}

BOOST_AUTO_TEST_SUITE_END()

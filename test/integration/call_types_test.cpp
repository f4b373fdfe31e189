// Every type of the value mapping (pgfns/value.hpp) round-trips through a call: the argument
// goes in as a parameter of the function's own type and comes back as a result column.
// Also: NULL of every type, and boost::json::value_to on rows for a user's own struct.
#include <pgfns/database.hpp>

#include "core_db.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_to.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <vector>

using boost::asio::awaitable;
using pgfns::test::core_database;
using pgfns::test::run_with_database;

namespace {

struct type_case {
  std::string method;                        // echo_<type>
  std::string value;                         // JSON text of the argument
  std::optional<std::string> expected = {};  // JSON text of the result, when not the argument
};

const std::vector<type_case> cases = {
    {"echo_int2", "-32768"},
    {"echo_int4", "2147483647"},
    {"echo_int8", "-9223372036854775808"},
    {"echo_float4", "1.5"},
    {"echo_float8", "0.1"},
    {"echo_float8", "1e308", "1E308"},
    {"echo_float8", R"("NaN")"},
    {"echo_float8", R"("-Infinity")"},
    {"echo_numeric", R"("1234567890123456789012345678901234567890.0123456789")"},
    {"echo_numeric", "12.5", R"("12.5")"},
    {"echo_bool", "true"},
    {"echo_bool", "false"},
    {"echo_text", R"("h\u00e9llo \u2713 'quoted' \"double\" \\back\\ {braces} ")"},
    {"echo_varchar", R"("")"},
    {"echo_uuid", R"("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")"},
    {"echo_json", R"({"a": [1, 2.5, {"b": null}], "s": "x"})"},
    {"echo_json", R"("just a string")"},
    {"echo_jsonb", R"({"nested": {"deep": [true, false, null]}, "n": 12345678901234})"},
    {"echo_jsonb", "[1, [2, [3]]]"},
    {"echo_date", R"("2024-02-29")"},
    {"echo_timestamp", R"("2024-01-02T03:04:05.123456")"},
    {"echo_timestamptz", R"("2024-01-02T03:04:05+02:00")", R"("2024-01-02T01:04:05+00:00")"},
    {"echo_timestamptz", R"("2024-06-30T23:59:59.5Z")", R"("2024-06-30T23:59:59.5+00:00")"},
    {"echo_interval", R"("1 day 02:03:04")"},
    {"echo_bytea", R"("\\x00ff10")"},
    {"echo_int4_array", "[1, 2, null, 3]"},
    {"echo_int4_array", "[[1, 2], [3, 4]]"},
    {"echo_int4_array", "[]"},
    {"echo_text_array", R"(["a", "b,c", "\"q\"", null, "NULL", "", "{x}", "back\\slash"])"},
    {"echo_float8_array", "[0.5, -1.25]"},
    {"echo_jsonb_array", R"([{"a": 1}, {"b": [1, 2]}, "s", 3])"},
};

struct item {
  std::int64_t id = 0;
  std::string name;
};

item tag_invoke(boost::json::value_to_tag<item>, const boost::json::value& v) {
  const auto& o = v.as_object();
  return {o.at("id").as_int64(), std::string(o.at("name").as_string())};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(call_types)

BOOST_AUTO_TEST_CASE(every_type_round_trips_through_a_call) {
  core_database db("types");
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    for (const auto& c : cases) {
      const boost::json::value arg = boost::json::parse(c.value);
      const boost::json::value want = boost::json::parse(c.expected.value_or(c.value));
      const boost::json::array args{arg};
      auto [ec, r] = co_await d.call(c.method, args, boost::asio::as_tuple(boost::asio::deferred));
      BOOST_TEST_CONTEXT(c.method << " " << c.value) {
        BOOST_TEST(!ec, pgfns::format_error(ec, r.diag));
        BOOST_REQUIRE(r.size() == 1u);
        const boost::json::value& got = r[0].at("v");
        BOOST_TEST(got == want, boost::json::serialize(got)
                                    << " != " << boost::json::serialize(want));
        BOOST_TEST(static_cast<int>(got.kind()) == static_cast<int>(want.kind()));
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(null_of_every_type_round_trips) {
  core_database db("types_null");
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    for (const auto& c : cases) {
      const pgfns::result r = co_await d.call(c.method, nullptr);
      BOOST_TEST(r[0].at("v").is_null(), c.method);
    }
  });
}

BOOST_AUTO_TEST_CASE(rows_convert_to_a_users_own_struct) {
  core_database db("types_struct");
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const pgfns::result added = co_await d.call("add_item", "gadget");
    db.scratch().wait_for_standby();
    const pgfns::result r = co_await d.call("get_item", added[0].at("id"));
    const std::vector<item> items = r.as<item>();
    BOOST_REQUIRE(items.size() == 1u);
    BOOST_TEST(items[0].name == "gadget");
    BOOST_TEST(items[0].id == added[0].at("id").as_int64());
    const item one = boost::json::value_to<item>(r.rows.at(0));
    BOOST_TEST(one.name == "gadget");
  });
}

BOOST_AUTO_TEST_CASE(native_cpp_values_are_arguments_too) {
  core_database db("types_native");
  run_with_database(db.options(), [&](pgfns::database& d) -> awaitable<void> {
    const std::vector<int> numbers{3, 1, 2};
    const pgfns::result a = co_await d.call("echo_int4_array", numbers);
    BOOST_TEST(a[0].at("v") == boost::json::parse("[3, 1, 2]"));
    const pgfns::result s = co_await d.call("sum_two", std::int16_t{40}, 2u);
    BOOST_TEST(s[0].at("sum_two").as_int64() == 42);
    const std::string_view text = "view";
    const pgfns::result t = co_await d.call("echo_text", text);
    BOOST_TEST(t[0].at("v").as_string() == "view");
  });
}

BOOST_AUTO_TEST_SUITE_END()

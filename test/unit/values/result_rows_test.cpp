// rows_from_result on results built in memory with libpq's PQsetResultAttrs / PQsetvalue, the
// same PGresult structure a server's answer fills.
#include "values/result_rows.hpp"
#include "built_result.hpp"
#include "values/pg_types.hpp"

#include <boost/describe/class.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace json = boost::json;
namespace oid = pgfns::detail::pg_oid;
using pgfns::test::make_result;

namespace {

// A user's own row type, converted with boost::json::value_to.
struct account {
  std::int64_t id;
  std::string name;
  std::string balance;  // numeric, exact
  std::optional<std::string> closed;
  std::vector<std::optional<std::int64_t>> scores;
  bool active;
};
BOOST_DESCRIBE_STRUCT(account, (), (id, name, balance, closed, scores, active))

}  // namespace

BOOST_AUTO_TEST_SUITE(result_rows)

BOOST_AUTO_TEST_CASE(every_row_becomes_an_object_of_typed_values) {
  const auto res = make_result({{"id", oid::int8},
                                {"name", oid::text},
                                {"score", oid::float8},
                                {"price", oid::numeric},
                                {"active", oid::boolean},
                                {"data", oid::jsonb},
                                {"created", oid::timestamptz},
                                {"tags", 1009},
                                {"blob", oid::bytea}},
                               {
                                   {"1", "ann", "1.5", "12.50", "t", R"({"a": [1, 2]})",
                                    "2024-01-02 03:04:05.5+00", R"({x,"y z",NULL})", R"(\x0a)"},
                                   {"-9223372036854775808", "", "NaN", std::nullopt, "f", "null",
                                    std::nullopt, "{}", std::nullopt},
                               });
  const json::array rows = pgfns::detail::rows_from_result(res.get());
  const json::value want = json::parse(R"([
    {"id": 1, "name": "ann", "score": 1.5, "price": "12.50", "active": true,
     "data": {"a": [1, 2]}, "created": "2024-01-02T03:04:05.5+00:00", "tags": ["x", "y z", null],
     "blob": "\\x0a"},
    {"id": -9223372036854775808, "name": "", "score": "NaN", "price": null, "active": false,
     "data": null, "created": null, "tags": [], "blob": null}
  ])");
  BOOST_TEST(json::value(rows) == want, json::serialize(rows));
  // Columns keep the result's order.
  std::vector<std::string> keys;
  for (const auto& kv : rows.at(0).as_object()) keys.emplace_back(kv.key());
  BOOST_TEST(keys == (std::vector<std::string>{"id", "name", "score", "price", "active", "data",
                                               "created", "tags", "blob"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(value_to_converts_a_row_to_a_users_struct) {
  const auto res = make_result({{"id", oid::int4},
                                {"name", oid::varchar},
                                {"balance", oid::numeric},
                                {"closed", oid::timestamptz},
                                {"scores", 1016},
                                {"active", oid::boolean}},
                               {{"7", "ann", "0.10", std::nullopt, "{3,NULL}", "t"}});
  const auto a = json::value_to<account>(pgfns::detail::rows_from_result(res.get()).at(0));
  BOOST_TEST(a.id == 7);
  BOOST_TEST(a.name == "ann");
  BOOST_TEST(a.balance == "0.10");
  BOOST_TEST(!a.closed.has_value());
  BOOST_TEST_REQUIRE(a.scores.size() == 2u);
  BOOST_TEST(a.scores[0].value_or(0) == 3);
  BOOST_TEST(!a.scores[1].has_value());
  BOOST_TEST(a.active);
}

BOOST_AUTO_TEST_CASE(no_rows_give_an_empty_array) {
  const auto res = make_result({{"x", oid::int4}}, {});
  BOOST_TEST(pgfns::detail::rows_from_result(res.get()).empty());
  const pgfns::detail::result_handle command(PQmakeEmptyPGresult(nullptr, PGRES_COMMAND_OK));
  BOOST_TEST(pgfns::detail::rows_from_result(command.get()).empty());
}

BOOST_AUTO_TEST_CASE(a_later_column_of_the_same_name_wins) {
  const auto res = make_result({{"a", oid::int4}, {"a", oid::text}}, {{"1", "two"}});
  BOOST_TEST(json::value(pgfns::detail::rows_from_result(res.get())) ==
             json::parse(R"([{"a": "two"}])"));
}

BOOST_AUTO_TEST_CASE(values_use_the_given_storage) {
  const auto res = make_result({{"t", oid::text}, {"j", oid::json}},
                               {{"a string long enough to need memory", R"({"k": "v"})"}});
  json::monotonic_resource mr;
  const json::array rows = pgfns::detail::rows_from_result(res.get(), json::storage_ptr(&mr));
  BOOST_TEST(rows.storage().get() == &mr);
  BOOST_TEST(rows.at(0).storage().get() == &mr);
  BOOST_TEST(rows.at(0).at("t").storage().get() == &mr);
  BOOST_TEST(rows.at(0).at("j").storage().get() == &mr);
}

BOOST_AUTO_TEST_CASE(binary_columns_are_refused) {
  const auto res = make_result({{"b", oid::int4, 1}}, {{std::string("\0\0\0\1", 4)}});
  BOOST_CHECK_THROW(pgfns::detail::rows_from_result(res.get()), std::invalid_argument);
}

// A json or jsonb field that cannot be read fails the whole result, naming column and row: it
// never comes back as a string.
BOOST_AUTO_TEST_CASE(unreadable_json_fields_are_refused_naming_column_and_row) {
  const std::string deep = std::string(1001, '[') + std::string(1001, ']');
  const auto check = [](const pgfns::detail::result_handle& res, std::string_view expected) {
    try {
      pgfns::detail::rows_from_result(res.get());
      BOOST_ERROR("no error, expected " << expected);
    } catch (const std::invalid_argument& e) {
      BOOST_TEST(std::string_view(e.what()).find(expected) != std::string_view::npos, e.what());
    }
  };
  check(make_result({{"id", oid::int4}, {"doc", oid::jsonb}}, {{"1", "[]"}, {"2", deep}}),
        "column \"doc\" of row 2: JSON nested deeper than 1000 levels");
  const std::string half = R"({"a":)";
  check(make_result({{"doc", oid::json}}, {{half}}), "column \"doc\" of row 1: not valid JSON");
}

BOOST_AUTO_TEST_SUITE_END()

// row_reader and param_writer, the pieces typed calls read results and write arguments with,
// and the checks of a result's shape against the bindings (check_columns, check_scalar_shape),
// on results built in memory.
#include <pgfns/row_reader.hpp>
#include <pgfns/typed_call.hpp>

#include "built_result.hpp"
#include "values/param_buffer.hpp"
#include "values/pg_types.hpp"

#include <boost/test/unit_test.hpp>

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace oid = pgfns::detail::pg_oid;
using pgfns::test::make_result;

namespace {

struct item_row {
  std::optional<std::int32_t> id;
  std::optional<std::string> name;
};

// A value whose writer appends part of its text before it refuses it.
struct half_written {};

}  // namespace

template <>
struct pgfns::text_format<half_written> {
  static void write(const half_written&, std::string& out) {
    out += "partial";
    throw std::invalid_argument("refused halfway");
  }
};

template <>
struct pgfns::row_traits<item_row> {
  static constexpr std::array<std::string_view, 2> columns{"id", "name"};
  static void read(const pgfns::row_reader& r, int row, item_row& out) {
    r.read(row, 0, out.id);
    r.read(row, 1, out.name);
  }
};

namespace {

// The message `f` throws std::invalid_argument with.
template <class F>
std::string refusal(F f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(row_reader)

BOOST_AUTO_TEST_CASE(fields_read_as_values_or_nullopt) {
  const auto res = make_result({{"id", oid::int4}, {"ok", oid::boolean}},
                               {{"7", "t"}, {std::nullopt, std::nullopt}});
  const pgfns::row_reader r(res.get());
  BOOST_TEST(r.rows() == 2);
  BOOST_TEST(r.columns() == 2);
  BOOST_TEST(r.column_name(1) == "ok");
  std::optional<std::int32_t> id = 99;
  std::optional<bool> ok;
  r.read(0, 0, id);
  r.read(0, 1, ok);
  BOOST_TEST((id == 7));
  BOOST_TEST((ok == true));
  r.read(1, 0, id);
  r.read(1, 1, ok);
  BOOST_TEST(!id.has_value());  // NULL replaces what was there
  BOOST_TEST(!ok.has_value());
}

BOOST_AUTO_TEST_CASE(a_field_that_does_not_decode_names_its_column_and_row) {
  const auto res = make_result({{"id", oid::int4}, {"price", oid::text}},
                               {{"1", "2"}, {"2", "3"}, {"3", "abc"}});
  const pgfns::row_reader r(res.get());
  std::optional<std::int32_t> v;
  BOOST_TEST(refusal([&] { r.read(2, 1, v); }) == R"(column "price", row 3: not an int32: "abc")");
  BOOST_TEST(!v.has_value());
}

BOOST_AUTO_TEST_CASE(a_column_name_is_shown_on_one_line) {
  const auto res = make_result({{"a\nb", oid::text}}, {{"x"}});
  const pgfns::row_reader r(res.get());
  std::optional<bool> v;
  BOOST_TEST(refusal([&] { r.read(0, 0, v); }) == R"(column "a\x0ab", row 1: not a boolean: "x")");
}

BOOST_AUTO_TEST_CASE(tables_check_their_columns_by_name_and_count) {
  pgfns::table_of<item_row>::value_type rows;
  const auto good =
      make_result({{"id", oid::int4}, {"name", oid::text}}, {{"1", "one"}, {"2", std::nullopt}});
  pgfns::table_of<item_row>::decode(pgfns::row_reader(good.get()), rows);
  BOOST_TEST_REQUIRE(rows.size() == 2u);
  BOOST_TEST((rows[0].id == 1));
  BOOST_TEST((rows[0].name == std::string("one")));
  BOOST_TEST(!rows[1].name.has_value());

  const auto renamed = make_result({{"id", oid::int4}, {"title", oid::text}}, {});
  BOOST_TEST(
      refusal([&] { pgfns::table_of<item_row>::decode(pgfns::row_reader(renamed.get()), rows); }) ==
      "the result has columns (id, title) but the bindings expect (id, name): regenerate "
      "the bindings");
  const auto more = make_result({{"id", oid::int4}, {"name", oid::text}, {"x", oid::text}}, {});
  BOOST_TEST(refusal([&] {
               pgfns::detail::check_columns(pgfns::row_reader(more.get()),
                                            pgfns::row_traits<item_row>::columns.data(), 2);
             }) ==
             "the result has columns (id, name, x) but the bindings expect (id, name): "
             "regenerate the bindings");
  const auto none = make_result({}, {});
  BOOST_TEST(refusal([&] {
               pgfns::detail::check_columns(pgfns::row_reader(none.get()),
                                            pgfns::row_traits<item_row>::columns.data(), 2);
             }) ==
             "the result has columns () but the bindings expect (id, name): regenerate "
             "the bindings");
}

BOOST_AUTO_TEST_CASE(scalars_are_one_column_of_one_row_and_sets_one_column) {
  const auto one = make_result({{"count_items", oid::int4}}, {{"5"}});
  pgfns::scalar_of<std::int32_t>::value_type v;
  pgfns::scalar_of<std::int32_t>::decode(pgfns::row_reader(one.get()), v);
  BOOST_TEST((v == 5));
  const auto null = make_result({{"count_items", oid::int4}}, {{std::nullopt}});
  pgfns::scalar_of<std::int32_t>::decode(pgfns::row_reader(null.get()), v);
  BOOST_TEST(!v.has_value());

  const auto two_columns = make_result({{"a", oid::int4}, {"b", oid::int4}}, {{"1", "2"}});
  BOOST_TEST(refusal([&] {
               pgfns::detail::check_scalar_shape(pgfns::row_reader(two_columns.get()), false);
             }) ==
             "the result has columns (a, b) but the bindings expect one column: "
             "regenerate the bindings");
  const auto two_rows = make_result({{"n", oid::int4}}, {{"1"}, {"2"}});
  BOOST_TEST(refusal([&] {
               pgfns::detail::check_scalar_shape(pgfns::row_reader(two_rows.get()), true);
             }) == "the result has 2 rows but the bindings expect one: regenerate the bindings");

  pgfns::set_of<std::int32_t>::value_type set;
  pgfns::set_of<std::int32_t>::decode(pgfns::row_reader(two_rows.get()), set);
  BOOST_TEST_REQUIRE(set.size() == 2u);
  BOOST_TEST((set[1] == 2));
  const auto empty = make_result({{"n", oid::int4}}, {});
  pgfns::set_of<std::int32_t>::decode(pgfns::row_reader(empty.get()), set);
  BOOST_TEST(set.empty());
}

BOOST_AUTO_TEST_CASE(parameters_are_written_in_order_with_nulls) {
  pgfns::detail::param_buffer buffer;
  pgfns::param_writer out(buffer);
  out.add(std::optional<std::int32_t>(42));
  out.add(std::optional<std::string>());
  out.add(std::optional<bool>(false));
  out.add(std::optional<std::string>(""));
  out.add(std::optional<std::int64_t>(-9));
  BOOST_TEST_REQUIRE(buffer.size() == 5);
  const char* const* v = buffer.values();
  BOOST_TEST(std::string_view(v[0]) == "42");
  BOOST_TEST(v[1] == nullptr);
  BOOST_TEST(std::string_view(v[2]) == "f");
  BOOST_TEST((v[3] != nullptr && std::string_view(v[3]).empty()));  // '' is not NULL
  BOOST_TEST(std::string_view(v[4]) == "-9");
}

BOOST_AUTO_TEST_CASE(a_parameter_refused_leaves_nothing_behind) {
  pgfns::detail::param_buffer buffer;
  pgfns::param_writer out(buffer);
  out.add(std::optional<std::string>("kept"));
  BOOST_CHECK_THROW(out.add(std::optional<std::string>(std::string("a\0b", 3))),
                    std::invalid_argument);
  BOOST_CHECK_THROW(out.add(std::optional<half_written>(half_written{})), std::invalid_argument);
  BOOST_TEST(buffer.size() == 1);
  out.add(std::optional<std::string>("next"));
  BOOST_TEST_REQUIRE(buffer.size() == 2);
  const char* const* v = buffer.values();
  BOOST_TEST(std::string_view(v[0]) == "kept");
  BOOST_TEST(std::string_view(v[1]) == "next");
  BOOST_TEST(v[1] == v[0] + 5);  // "kept\0next\0": the refused text was dropped
}

BOOST_AUTO_TEST_SUITE_END()

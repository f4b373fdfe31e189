// The SQLSTATE names of pgfns/sqlstate.hpp: Taskcluster's list, with PostgreSQL's codes.
#include <pgfns/error.hpp>
#include <pgfns/sqlstate.hpp>

#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sqlstate = pgfns::sqlstate;

BOOST_AUTO_TEST_SUITE(sqlstate_names)

BOOST_AUTO_TEST_CASE(names_have_postgresqls_codes) {
  // From PostgreSQL's errcodes appendix (src/backend/utils/errcodes.txt).
  const std::vector<std::pair<std::string_view, std::string_view>> expected{
      {sqlstate::duplicate_object, "42710"},
      {sqlstate::duplicate_table, "42P07"},
      {sqlstate::numeric_value_out_of_range, "22003"},
      {sqlstate::query_canceled, "57014"},
      {sqlstate::read_only_sql_transaction, "25006"},
      {sqlstate::undefined_column, "42703"},
      {sqlstate::undefined_object, "42704"},
      {sqlstate::undefined_table, "42P01"},
      {sqlstate::undefined_function, "42883"},
      {sqlstate::unique_violation, "23505"},
      {sqlstate::check_violation, "23514"},
      {sqlstate::syntax_error, "42601"},
      {sqlstate::foreign_key_violation, "23503"},
  };
  std::set<std::string_view> distinct;
  for (const auto& [name, code] : expected) {
    BOOST_TEST(name == code);
    distinct.insert(name);
    // Each is a valid SQLSTATE: it survives the round trip through an error code.
    BOOST_TEST(pgfns::sqlstate_of(pgfns::make_sqlstate_error(name)) == std::string(code));
  }
  BOOST_TEST(distinct.size() == expected.size());
}

BOOST_AUTO_TEST_CASE(names_compare_with_error_codes_and_diagnostics) {
  static_assert(sqlstate::unique_violation == "23505");
  BOOST_TEST(pgfns::make_sqlstate_error("23505") ==
             pgfns::make_sqlstate_error(sqlstate::unique_violation));
  BOOST_TEST(pgfns::make_sqlstate_error("23503") !=
             pgfns::make_sqlstate_error(sqlstate::unique_violation));
  pgfns::diagnostics d;
  d.sqlstate = "23514";
  BOOST_TEST(d.sqlstate == sqlstate::check_violation);
  BOOST_TEST(pgfns::sqlstate_class_name(sqlstate::foreign_key_violation) ==
             "integrity constraint violation");
}

BOOST_AUTO_TEST_SUITE_END()

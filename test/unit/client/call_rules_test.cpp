// The checks made before any SQL is sent, and the choice of pool.
#include "client/call/call_rules.hpp"

#include <pgfns/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

namespace {

pgfns::resolved_method make_method(pgfns::method_mode mode, std::string service,
                                   bool deprecated = false) {
  pgfns::resolved_method m;
  m.definition.name.push_back('m');  // not = "m": GCC 12 -O3 warns falsely (-Wrestrict)
  m.definition.mode = mode;
  m.definition.service_name = std::move(service);
  m.definition.deprecated = deprecated;
  return m;
}

using pgfns::method_mode;
using pgfns::detail::check_method;

}  // namespace

BOOST_AUTO_TEST_SUITE(call_rules)

BOOST_AUTO_TEST_CASE(an_unknown_method_is_refused_with_its_name) {
  const auto r = check_method(nullptr, "nope", "orders", false, 7);
  BOOST_TEST(r.ec == pgfns::errc::unknown_method);
  BOOST_TEST(r.message == "no method \"nope\" in the schema (version 7)");
}

BOOST_AUTO_TEST_CASE(deprecated_methods_need_call_deprecated) {
  const auto m = make_method(method_mode::read, "orders", true);
  BOOST_TEST(check_method(&m, "old", "orders", false, 1).ec == pgfns::errc::deprecated_method);
  BOOST_TEST(!check_method(&m, "old", "orders", true, 1).ec);
}

BOOST_AUTO_TEST_CASE(another_services_write_method_is_refused) {
  const auto w = make_method(method_mode::write, "catalog");
  const auto r = check_method(&w, "add_product", "orders", false, 1);
  BOOST_TEST(r.ec == pgfns::errc::wrong_service);
  BOOST_TEST(r.message.find("service \"catalog\"") != std::string::npos);
  BOOST_TEST(!check_method(&w, "add_product", "catalog", false, 1).ec);
}

BOOST_AUTO_TEST_CASE(service_names_compare_with_dashes_as_underscores) {
  const auto w = make_method(method_mode::write, "worker_manager");
  BOOST_TEST(!check_method(&w, "m", "worker-manager", false, 1).ec);
}

BOOST_AUTO_TEST_CASE(another_services_read_method_is_allowed) {
  const auto r = make_method(method_mode::read, "catalog");
  BOOST_TEST(!check_method(&r, "get_product", "orders", false, 1).ec);
}

BOOST_AUTO_TEST_CASE(argument_names_must_match_the_pattern) {
  for (const char* good : {"a_in", "product_id_in", "x2_in", "__in", "a_in_in"})
    BOOST_TEST(pgfns::detail::valid_argument_name(good), good);
  for (const char* bad : {"", "_in", "a", "a_out", "A_in", "a-b_in", "a b_in", "a_IN", "a_in ",
                          "x\"_in", "a_in; drop table t; --", "é_in"})
    BOOST_TEST(!pgfns::detail::valid_argument_name(bad), bad);
}

BOOST_AUTO_TEST_CASE(named_arguments_are_refused_by_their_first_bad_key) {
  const auto ok = boost::json::parse(R"({"a_in": 1, "b_in": "x"})").as_object();
  BOOST_TEST(!pgfns::detail::check_named_arguments(ok, "m").ec);
  const auto bad = boost::json::parse(R"({"a_in": 1, "b\"); drop table x; --": 2})").as_object();
  const auto r = pgfns::detail::check_named_arguments(bad, "m");
  BOOST_TEST(r.ec == pgfns::errc::bad_arguments);
  BOOST_TEST(
      r.message ==
      R"(named argument "b\"); drop table x; --" of method "m" does not match ^[a-z0-9_]+_in$)");
}

BOOST_AUTO_TEST_CASE(reads_go_to_the_read_pool_unless_it_is_down_and_fallback_is_on) {
  using pgfns::pool_role;
  using pgfns::detail::choose_pool;
  BOOST_TEST((choose_pool(method_mode::write, false, true) == pool_role::write));
  BOOST_TEST((choose_pool(method_mode::write, true, false) == pool_role::write));
  BOOST_TEST((choose_pool(method_mode::read, false, true) == pool_role::read));
  BOOST_TEST((choose_pool(method_mode::read, true, true) == pool_role::write));
  BOOST_TEST((choose_pool(method_mode::read, true, false) == pool_role::read));
}

BOOST_AUTO_TEST_SUITE_END()

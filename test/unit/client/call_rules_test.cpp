// The checks made before any SQL is sent.
#include "client/call/call_rules.hpp"
#include "common/utf8.hpp"

#include <pgfns/error.hpp>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace {

pgfns::resolved_method make_method(pgfns::method_mode mode, std::string service,
                                   bool deprecated = false, std::string_view name = "m") {
  pgfns::resolved_method m;
  m.definition.name.append(name);  // not = "m": GCC 12 -O3 warns falsely (-Wrestrict)
  m.definition.mode = mode;
  m.definition.service_name = std::move(service);
  m.definition.deprecated = deprecated;
  return m;
}

using pgfns::method_mode;
using pgfns::detail::check_arguments;
using pgfns::detail::parse_signature;

// check_method for a caller of service "orders" that knows no other method.
pgfns::detail::rule_check check_method(const pgfns::resolved_method* m, std::string_view name,
                                       std::string_view service, bool allow_deprecated,
                                       int version) {
  return pgfns::detail::check_method(m, name, service, allow_deprecated, version, {});
}

// A schema's methods, sorted by name as schema::methods() is: read methods of "catalog" and
// "orders", a write method of each, and a deprecated one.
const std::vector<pgfns::resolved_method>& known() {
  static const std::vector<pgfns::resolved_method> methods = [] {
    std::vector<pgfns::resolved_method> v = {
        make_method(method_mode::write, "catalog", false, "add_product"),
        make_method(method_mode::read, "catalog", false, "get_product"),
        make_method(method_mode::read, "catalog", false, "get_products"),
        make_method(method_mode::read, "catalog", true, "list_products"),
        make_method(method_mode::read, "orders", false, "list_orders"),
        make_method(method_mode::write, "orders", false, "place_order")};
    return v;
  }();
  return methods;
}

std::string unknown_message(std::string_view name, bool allow_deprecated = false) {
  const auto r = pgfns::detail::check_method(nullptr, name, "orders", allow_deprecated, 4, known());
  BOOST_TEST(r.ec == pgfns::errc::unknown_method);
  return r.message;
}

// The message of check_arguments for `args` (JSON) against `params`, or "" when it passes.
std::string refusal(std::string_view params, std::string_view args, std::string_view method = "m") {
  const auto r = check_arguments(parse_signature(params), method, boost::json::parse(args));
  if (r) return "";
  BOOST_TEST(r.ec == pgfns::errc::bad_arguments);
  return r.message;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(call_rules)

BOOST_AUTO_TEST_CASE(an_unknown_method_is_refused_with_its_name) {
  const auto r = check_method(nullptr, "nope", "orders", false, 7);
  BOOST_TEST(r.ec == pgfns::errc::unknown_method);
  BOOST_TEST(r.message == "no method \"nope\" in the schema (version 7)");
}

// The name is whatever the caller passed: invalid UTF-8, control characters and newlines are
// shown as \xNN (a backslash as \\), so the message stays one line of valid text.
BOOST_AUTO_TEST_CASE(an_unknown_methods_name_is_shown_escaped) {
  const auto r = check_method(nullptr, "get\xff\xfe_x\n\x1b[2Jé\\", "orders", false, 7);
  BOOST_TEST(r.ec == pgfns::errc::unknown_method);
  BOOST_TEST(r.message == R"(no method "get\xff\xfe_x\x0a\x1b[2Jé\\" in the schema (version 7))");
  // Cut or overlong UTF-8 sequences, surrogates and C1 controls are escaped byte by byte.
  BOOST_TEST(pgfns::detail::printable("a\xc3") == R"(a\xc3)");
  BOOST_TEST(pgfns::detail::printable("\xc0\xaf\xed\xa0\x80") == R"(\xc0\xaf\xed\xa0\x80)");
  BOOST_TEST(pgfns::detail::printable("\xc2\x85\x7f") == R"(\xc2\x85\x7f)");
  BOOST_TEST(pgfns::detail::printable("日本\xf0\x9f\x98\x80") == "日本\xf0\x9f\x98\x80");
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

BOOST_AUTO_TEST_CASE(an_unknown_method_suggests_the_closest_known_name) {
  BOOST_TEST(unknown_message("get_prodcut") ==
             "no method \"get_prodcut\" in the schema (version 4); did you mean \"get_product\"?");
  BOOST_TEST(unknown_message("get_produc").find("did you mean \"get_product\"?") !=
             std::string::npos);
  BOOST_TEST(unknown_message("GET_PRODUCTS").find("did you mean \"get_products\"?") !=
             std::string::npos);
  BOOST_TEST(unknown_message("list_order").find("did you mean \"list_orders\"?") !=
             std::string::npos);
  // Too far from every name: no suggestion.
  BOOST_TEST(unknown_message("nope") == "no method \"nope\" in the schema (version 4)");
  BOOST_TEST(unknown_message("product") == "no method \"product\" in the schema (version 4)");
  BOOST_TEST(unknown_message(std::string(100000, '\'')).find("did you mean") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(only_methods_the_caller_may_call_are_suggested) {
  // Another service's write method would be refused whatever the spelling.
  BOOST_TEST(unknown_message("add_prodct") == "no method \"add_prodct\" in the schema (version 4)");
  BOOST_TEST(
      pgfns::detail::closest_method(known(), "add_prodct", "catalog", false)->definition.name ==
      "add_product");
  // The caller's own write method is suggested.
  BOOST_TEST(unknown_message("place_ordr").find("did you mean \"place_order\"?") !=
             std::string::npos);
  // A deprecated method only to a caller that may call deprecated methods; and get_products,
  // further away, is not suggested instead of it.
  BOOST_TEST(unknown_message("list_prodcts") ==
             "no method \"list_prodcts\" in the schema (version 4)");
  BOOST_TEST(unknown_message("list_prodcts", true).find("did you mean \"list_products\"?") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(edit_distance_counts_swaps_as_one_edit_and_ignores_case) {
  using pgfns::detail::edit_distance;
  BOOST_TEST(edit_distance("", "", 3) == 0u);
  BOOST_TEST(edit_distance("get_product", "get_product", 3) == 0u);
  BOOST_TEST(edit_distance("get_prodcut", "get_product", 3) == 1u);
  BOOST_TEST(edit_distance("Get_Product", "get_product", 3) == 0u);
  BOOST_TEST(edit_distance("kitten", "sitting", 5) == 3u);
  BOOST_TEST(edit_distance("abc", "", 5) == 3u);
  BOOST_TEST(edit_distance("a", "abcdef", 2) == 3u);       // over the limit: limit + 1
  BOOST_TEST(edit_distance("abcdef", "badcfe", 2) == 3u);  // 3 swaps
  BOOST_TEST(edit_distance("abcdef", "badcfe", 10) == 3u);
}

BOOST_AUTO_TEST_CASE(positional_arguments_must_fit_the_parameters) {
  BOOST_TEST(refusal("product_id_in integer", "[1, 2]", "get_product") ==
             "method \"get_product\" takes 1 argument (product_id_in integer), given 2");
  BOOST_TEST(refusal("product_id_in integer", "[]", "get_product") ==
             "method \"get_product\" takes 1 argument (product_id_in integer), given 0");
  BOOST_TEST(refusal("product_id_in integer", "[1]").empty());
  BOOST_TEST(refusal("", "[1]", "count_items") ==
             "method \"count_items\" takes no arguments, given 1");
  BOOST_TEST(refusal("", "[]").empty());
  BOOST_TEST(refusal("a_in integer, b_in numeric(10,2)", "[1]") ==
             "method \"m\" takes 2 arguments (a_in integer, b_in numeric(10,2)), given 1");
}

BOOST_AUTO_TEST_CASE(parameters_with_a_default_may_be_left_out) {
  const char* params = "a_in integer, b_in integer default 1, c_in text = 'x'";
  for (const char* ok : {"[1]", "[1, 2]", "[1, 2, \"z\"]"}) BOOST_TEST(refusal(params, ok).empty());
  BOOST_TEST(refusal(params, "[]") ==
             "method \"m\" takes 1 to 3 arguments (a_in integer, [b_in integer], [c_in text]), "
             "given 0");
  BOOST_TEST(refusal(params, "[1, 2, 3, 4]").find("given 4") != std::string::npos);
  BOOST_TEST(refusal("a_in integer default 1", "[1, 2]") ==
             "method \"m\" takes at most 1 argument ([a_in integer]), given 2");
  // OUT parameters take no argument.
  BOOST_TEST(refusal("a_in integer, out total integer", "[1]").empty());
  BOOST_TEST(refusal("a_in integer, out total integer", "[1, 2]") ==
             "method \"m\" takes 1 argument (a_in integer), given 2");
}

BOOST_AUTO_TEST_CASE(a_variadic_parameter_takes_any_number_of_positional_arguments) {
  const char* params = "a_in integer, variadic rest_in integer[]";
  BOOST_TEST(refusal(params, "[1, 2]").empty());
  BOOST_TEST(refusal(params, "[1, 2, 3, 4, 5, 6]").empty());
  BOOST_TEST(refusal(params, "[1]") ==
             "method \"m\" takes at least 2 arguments (a_in integer, variadic rest_in "
             "integer[]), given 1");
  BOOST_TEST(refusal("a_in integer, variadic rest_in integer[] default '{}'", "[1]").empty());
  // PostgreSQL matches named arguments to a variadic function only when the call says VARIADIC.
  BOOST_TEST(refusal(params, R"({"a_in": 1, "rest_in": [2]})") ==
             "method \"m\" has a variadic parameter, so it takes positional arguments only (its "
             "parameters: a_in integer, variadic rest_in integer[])");
}

BOOST_AUTO_TEST_CASE(named_arguments_must_be_parameters) {
  const char* params = "a_in integer, b_in integer";
  BOOST_TEST(refusal(params, R"({"b_in": 1, "a_in": 2})", "sum_two").empty());
  BOOST_TEST(refusal(params, R"({"a_in": 1, "c_in": 2})", "sum_two") ==
             "method \"sum_two\" has no parameter \"c_in\" (its parameters: a_in integer, b_in "
             "integer)");
  BOOST_TEST(refusal("", R"({"name_in": "x"})", "count_items") ==
             "method \"count_items\" has no parameter \"name_in\" (it takes no arguments)");
  BOOST_TEST(refusal("a_in integer, out x_in integer", R"({"a_in": 1, "x_in": 2})") ==
             "method \"m\" has \"x_in\" as an OUT parameter, not an argument (its parameters: "
             "a_in integer)");
  // The pattern of a key is checked first, with its own message.
  BOOST_TEST(refusal(params, R"({"a_in": 1, "b": 2})") ==
             "named argument \"b\" of method \"m\" does not match ^[a-z0-9_]+_in$");
  // Names are compared as PostgreSQL stores them: unquoted ones in lowercase.
  BOOST_TEST(refusal("A_IN integer", R"({"a_in": 1})").empty());
  BOOST_TEST(refusal("\"A_in\" integer", R"({"a_in": 1})").find("no parameter \"a_in\"") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(named_arguments_must_name_every_parameter_without_a_default) {
  BOOST_TEST(refusal("a_in integer, b_in integer", R"({"a_in": 1})", "sum_two") ==
             "method \"sum_two\" needs named argument b_in, which has no default (its "
             "parameters: a_in integer, b_in integer)");
  BOOST_TEST(refusal("a_in int, b_in int, c_in int", R"({"c_in": 1})") ==
             "method \"m\" needs named arguments a_in and b_in, which have no default (its "
             "parameters: a_in int, b_in int, c_in int)");
  BOOST_TEST(refusal("a_in int, b_in int, c_in int, d_in int", R"({"d_in": 1})")
                 .find("needs named arguments a_in, b_in and c_in, which have no default") !=
             std::string::npos);
  BOOST_TEST(refusal("a_in int, b_in int default 2", R"({"a_in": 1})").empty());
  BOOST_TEST(refusal("a_in int default 1, b_in int default 2", R"({"b_in": 1})").empty());
  // An unnamed parameter can only be passed by position.
  BOOST_TEST(refusal("integer, b_in text", R"({"b_in": "x"})") ==
             "method \"m\" has an unnamed parameter (integer) without a default, so it takes "
             "positional arguments only (its parameters: integer, b_in text)");
  // No named argument at all is a call without arguments.
  BOOST_TEST(refusal("a_in int default 1", "{}").empty());
  BOOST_TEST(refusal("a_in int", "{}") == "method \"m\" takes 1 argument (a_in int), given 0");
}

BOOST_AUTO_TEST_CASE(typed_bindings_must_match_the_methods_signature) {
  auto m = make_method(method_mode::read, "orders", false, "get_product");
  m.definition.args = "product_id_in integer";
  m.definition.returns = "table (id integer, name text)";
  const auto& def = m.definition;
  BOOST_TEST(static_cast<bool>(pgfns::detail::check_binding(def, def.args, def.returns)));
  const auto r = pgfns::detail::check_binding(def, "product_id_in bigint", def.returns);
  BOOST_TEST(r.ec == pgfns::errc::binding_mismatch);
  BOOST_TEST(r.message ==
             "method get_product: the bindings were generated for args \"product_id_in bigint\" "
             "returns \"table (id integer, name text)\", but the schema loaded has args "
             "\"product_id_in integer\" returns \"table (id integer, name text)\": regenerate "
             "them with pgfns generate");
  BOOST_TEST(pgfns::detail::check_binding(def, def.args, "table (id integer)").ec ==
             pgfns::errc::binding_mismatch);
  // Texts spanning lines (YAML block scalars) stay on one line.
  m.definition.args = "a_in integer,\n  b_in text";
  BOOST_TEST(pgfns::detail::check_binding(m.definition, "a_in integer", def.returns)
                 .message.find("args \"a_in integer,\\x0a  b_in text\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_typed_argument_refused_is_named_by_position_and_parameter) {
  const auto sig = parse_signature("a_in integer, out x text, b_in text, integer");
  using pgfns::detail::argument_refused;
  BOOST_TEST(argument_refused(sig, 0, "why") == "argument 1 (a_in): why; not sent");
  BOOST_TEST(argument_refused(sig, 1, "why") == "argument 2 (b_in): why; not sent");
  BOOST_TEST(argument_refused(sig, 2, "why") == "argument 3: why; not sent");  // unnamed
  BOOST_TEST(argument_refused(sig, 7, "why") == "argument 8: why; not sent");
  BOOST_TEST(static_cast<bool>(pgfns::detail::check_argument_count(sig, "m", 3)));
  BOOST_TEST(pgfns::detail::check_argument_count(sig, "m", 2).message ==
             "method \"m\" takes 3 arguments (a_in integer, b_in text, integer), given 2");
}

BOOST_AUTO_TEST_SUITE_END()

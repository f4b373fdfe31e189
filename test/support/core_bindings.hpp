// Typed bindings for some methods of test/fixtures/core-db (service `shop`), written by hand in
// the shape `pgfns generate` gives them, for the tests of the typed call path.
#pragma once

#include <pgfns/typed_call.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace core_typed::shop {

struct get_item_row {
  std::optional<std::int32_t> id;
  std::optional<std::string> name;
};
struct add_item_row {
  std::optional<std::int32_t> id;
};
struct echo_int2_row {
  std::optional<std::int16_t> v;
};
struct echo_int4_row {
  std::optional<std::int32_t> v;
};
struct echo_int8_row {
  std::optional<std::int64_t> v;
};
struct echo_bool_row {
  std::optional<bool> v;
};
struct echo_text_row {
  std::optional<std::string> v;
};

namespace bindings {
inline constexpr pgfns::method_binding get_item{"get_item", "id_in integer",
                                                "table (id integer, name text)", false};
inline constexpr pgfns::method_binding add_item{"add_item", "name_in text", "table (id integer)",
                                                false};
inline constexpr pgfns::method_binding add_item_quietly{"add_item_quietly", "name_in text", "void",
                                                        false};
inline constexpr pgfns::method_binding count_items{"count_items", "", "integer", false};
inline constexpr pgfns::method_binding sum_two{"sum_two", "a_in integer, b_in integer", "integer",
                                               false};
inline constexpr pgfns::method_binding fail_with{"fail_with", "code_in text, message_in text",
                                                 "void", false};
inline constexpr pgfns::method_binding backend_pid{"backend_pid", "", "integer", false};
inline constexpr pgfns::method_binding sleep_ms{"sleep_ms", "ms_in integer", "integer", false};
inline constexpr pgfns::method_binding numbers_set{"numbers_set", "count_in integer",
                                                   "setof integer", false};
inline constexpr pgfns::method_binding audit_count{"audit_count", "", "integer", false};
inline constexpr pgfns::method_binding echo_int2{"echo_int2", "v_in smallint", "table (v smallint)",
                                                 false};
inline constexpr pgfns::method_binding echo_int4{"echo_int4", "v_in integer", "table (v integer)",
                                                 false};
inline constexpr pgfns::method_binding echo_int8{"echo_int8", "v_in bigint", "table (v bigint)",
                                                 false};
inline constexpr pgfns::method_binding echo_bool{"echo_bool", "v_in boolean", "table (v boolean)",
                                                 false};
inline constexpr pgfns::method_binding echo_text{"echo_text", "v_in text", "table (v text)", false};
}  // namespace bindings

// get_item (read)
template <pgfns::typed_token<pgfns::table_of<get_item_row>> Token = pgfns::no_token_t>
auto get_item(pgfns::database& db, std::optional<std::int32_t> id_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::table_of<get_item_row>>(
      db, bindings::get_item, {}, std::forward<Token>(token), std::move(id_in));
}
template <pgfns::typed_token<pgfns::table_of<get_item_row>> Token = pgfns::no_token_t>
auto get_item(pgfns::database& db, const pgfns::call_options& options,
              std::optional<std::int32_t> id_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::table_of<get_item_row>>(
      db, bindings::get_item, options, std::forward<Token>(token), std::move(id_in));
}

// add_item (write)
template <pgfns::typed_token<pgfns::table_of<add_item_row>> Token = pgfns::no_token_t>
auto add_item(pgfns::database& db, std::optional<std::string> name_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::table_of<add_item_row>>(
      db, bindings::add_item, {}, std::forward<Token>(token), std::move(name_in));
}

// add_item_quietly (write)
template <pgfns::typed_token<pgfns::void_result> Token = pgfns::no_token_t>
auto add_item_quietly(pgfns::database& db, std::optional<std::string> name_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::void_result>(db, bindings::add_item_quietly, {},
                                               std::forward<Token>(token), std::move(name_in));
}

// count_items (read)
template <pgfns::typed_token<pgfns::scalar_of<std::int32_t>> Token = pgfns::no_token_t>
auto count_items(pgfns::database& db, Token&& token = {}) {
  return pgfns::typed_call<pgfns::scalar_of<std::int32_t>>(db, bindings::count_items, {},
                                                           std::forward<Token>(token));
}
template <pgfns::typed_token<pgfns::scalar_of<std::int32_t>> Token = pgfns::no_token_t>
auto count_items(pgfns::database& db, const pgfns::call_options& options, Token&& token = {}) {
  return pgfns::typed_call<pgfns::scalar_of<std::int32_t>>(db, bindings::count_items, options,
                                                           std::forward<Token>(token));
}

// sum_two (read)
template <pgfns::typed_token<pgfns::scalar_of<std::int32_t>> Token = pgfns::no_token_t>
auto sum_two(pgfns::database& db, std::optional<std::int32_t> a_in,
             std::optional<std::int32_t> b_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::scalar_of<std::int32_t>>(
      db, bindings::sum_two, {}, std::forward<Token>(token), std::move(a_in), std::move(b_in));
}

// fail_with (read)
template <pgfns::typed_token<pgfns::void_result> Token = pgfns::no_token_t>
auto fail_with(pgfns::database& db, std::optional<std::string> code_in,
               std::optional<std::string> message_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::void_result>(db, bindings::fail_with, {},
                                               std::forward<Token>(token), std::move(code_in),
                                               std::move(message_in));
}

// backend_pid (read)
template <pgfns::typed_token<pgfns::scalar_of<std::int32_t>> Token = pgfns::no_token_t>
auto backend_pid(pgfns::database& db, Token&& token = {}) {
  return pgfns::typed_call<pgfns::scalar_of<std::int32_t>>(db, bindings::backend_pid, {},
                                                           std::forward<Token>(token));
}

// sleep_ms (read)
template <pgfns::typed_token<pgfns::scalar_of<std::int32_t>> Token = pgfns::no_token_t>
auto sleep_ms(pgfns::database& db, std::optional<std::int32_t> ms_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::scalar_of<std::int32_t>>(
      db, bindings::sleep_ms, {}, std::forward<Token>(token), std::move(ms_in));
}

// numbers_set (read)
template <pgfns::typed_token<pgfns::set_of<std::int32_t>> Token = pgfns::no_token_t>
auto numbers_set(pgfns::database& db, std::optional<std::int32_t> count_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::set_of<std::int32_t>>(
      db, bindings::numbers_set, {}, std::forward<Token>(token), std::move(count_in));
}

// audit_count (read, of service audit)
template <pgfns::typed_token<pgfns::scalar_of<std::int32_t>> Token = pgfns::no_token_t>
auto audit_count(pgfns::database& db, Token&& token = {}) {
  return pgfns::typed_call<pgfns::scalar_of<std::int32_t>>(db, bindings::audit_count, {},
                                                           std::forward<Token>(token));
}

// echo_* (read): each value comes back as it went.
template <pgfns::typed_token<pgfns::table_of<echo_int2_row>> Token = pgfns::no_token_t>
auto echo_int2(pgfns::database& db, std::optional<std::int16_t> v_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::table_of<echo_int2_row>>(
      db, bindings::echo_int2, {}, std::forward<Token>(token), std::move(v_in));
}
template <pgfns::typed_token<pgfns::table_of<echo_int4_row>> Token = pgfns::no_token_t>
auto echo_int4(pgfns::database& db, std::optional<std::int32_t> v_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::table_of<echo_int4_row>>(
      db, bindings::echo_int4, {}, std::forward<Token>(token), std::move(v_in));
}
template <pgfns::typed_token<pgfns::table_of<echo_int8_row>> Token = pgfns::no_token_t>
auto echo_int8(pgfns::database& db, std::optional<std::int64_t> v_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::table_of<echo_int8_row>>(
      db, bindings::echo_int8, {}, std::forward<Token>(token), std::move(v_in));
}
template <pgfns::typed_token<pgfns::table_of<echo_bool_row>> Token = pgfns::no_token_t>
auto echo_bool(pgfns::database& db, std::optional<bool> v_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::table_of<echo_bool_row>>(
      db, bindings::echo_bool, {}, std::forward<Token>(token), std::move(v_in));
}
template <pgfns::typed_token<pgfns::table_of<echo_text_row>> Token = pgfns::no_token_t>
auto echo_text(pgfns::database& db, std::optional<std::string> v_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::table_of<echo_text_row>>(
      db, bindings::echo_text, {}, std::forward<Token>(token), std::move(v_in));
}

namespace deprecated {
namespace bindings {
inline constexpr pgfns::method_binding old_get_item{"old_get_item", "id_in integer",
                                                    "table (id integer, name text)", true};
}
// old_get_item (read; deprecated in version 2)
template <pgfns::typed_token<pgfns::table_of<get_item_row>> Token = pgfns::no_token_t>
auto old_get_item(pgfns::database& db, std::optional<std::int32_t> id_in, Token&& token = {}) {
  return pgfns::typed_call<pgfns::table_of<get_item_row>>(
      db, bindings::old_get_item, {}, std::forward<Token>(token), std::move(id_in));
}
}  // namespace deprecated

}  // namespace core_typed::shop

template <>
struct pgfns::row_traits<core_typed::shop::get_item_row> {
  static constexpr std::array<std::string_view, 2> columns{"id", "name"};
  static void read(const pgfns::row_reader& r, int row, core_typed::shop::get_item_row& out) {
    r.read(row, 0, out.id);
    r.read(row, 1, out.name);
  }
};
template <>
struct pgfns::row_traits<core_typed::shop::add_item_row> {
  static constexpr std::array<std::string_view, 1> columns{"id"};
  static void read(const pgfns::row_reader& r, int row, core_typed::shop::add_item_row& out) {
    r.read(row, 0, out.id);
  }
};
// The echo rows: one column `v`.
template <class Row>
struct core_typed_echo_traits {
  static constexpr std::array<std::string_view, 1> columns{"v"};
  static void read(const pgfns::row_reader& r, int row, Row& out) { r.read(row, 0, out.v); }
};
template <>
struct pgfns::row_traits<core_typed::shop::echo_int2_row>
    : core_typed_echo_traits<core_typed::shop::echo_int2_row> {};
template <>
struct pgfns::row_traits<core_typed::shop::echo_int4_row>
    : core_typed_echo_traits<core_typed::shop::echo_int4_row> {};
template <>
struct pgfns::row_traits<core_typed::shop::echo_int8_row>
    : core_typed_echo_traits<core_typed::shop::echo_int8_row> {};
template <>
struct pgfns::row_traits<core_typed::shop::echo_bool_row>
    : core_typed_echo_traits<core_typed::shop::echo_bool_row> {};
template <>
struct pgfns::row_traits<core_typed::shop::echo_text_row>
    : core_typed_echo_traits<core_typed::shop::echo_text_row> {};

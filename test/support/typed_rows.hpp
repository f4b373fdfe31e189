// Comparing a typed call (bindings made by `pgfns generate`) with db.call on the same data:
// every field of a generated row struct against the JSON value db.call gives for its column,
// by the rules of README's value table (numeric as its exact text, timestamptz as the same
// instant, uuid in canonical form, bytea as "\x..." hex, arrays element by element, NULL as
// null), and a record of which methods each service compared.
#pragma once

#include <pgfns/error.hpp>
#include <pgfns/result.hpp>
#include <pgfns/row_reader.hpp>
#include <pgfns/text_format.hpp>
#include <pgfns/typed_call.hpp>
#include <pgfns/types.hpp>

#include <boost/json.hpp>
#include <boost/pfr/core.hpp>
#include <boost/system/error_code.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pgfns::test {

// The instant an ISO 8601 timestamp with an offset stands for, as db.call gives a timestamptz
// ("2024-01-02T03:04:05.25+05:30"); throws std::invalid_argument for any other text.
pgfns::timestamptz instant_of(std::string_view iso);
// "\x00ff": how db.call gives a bytea.
std::string bytea_hex(const pgfns::bytea& b);

// Whether the JSON field `j` of db.call is the typed value `v` (never NULL here).
inline bool same_value(const boost::json::value& j, bool v) {
  return j.is_bool() && j.get_bool() == v;
}
template <class I>
requires(std::is_integral_v<I> &&
         !std::is_same_v<I, bool>) bool same_value(const boost::json::value& j, I v) {
  return j.is_int64() && j.get_int64() == static_cast<std::int64_t>(v);
}
inline bool same_value(const boost::json::value& j, const std::string& v) {
  return j.is_string() && j.get_string() == v;
}
inline bool same_value(const boost::json::value& j, const pgfns::numeric& v) {
  return j.is_string() && j.get_string() == v.str();
}
inline bool same_value(const boost::json::value& j, const pgfns::uuid& v) {
  return j.is_string() && j.get_string() == v.str();
}
inline bool same_value(const boost::json::value& j, const pgfns::timestamptz& v) {
  return j.is_string() && instant_of(j.get_string()) == v;
}
inline bool same_value(const boost::json::value& j, const pgfns::bytea& v) {
  return j.is_string() && j.get_string() == bytea_hex(v);
}
inline bool same_value(const boost::json::value& j, const boost::json::value& v) {
  return j == v;
}
template <class T>
bool same_value(const boost::json::value& j, const std::vector<T>& v) {
  if (!j.is_array() || j.get_array().size() != v.size()) return false;
  for (std::size_t i = 0; i < v.size(); ++i)
    if (!same_value(j.get_array()[i], v[i])) return false;
  return true;
}

// How a typed field reads in a message: its text format, or NULL.
template <class T>
std::string shown(const std::optional<T>& v) {
  if (!v) return "NULL";
  std::string out;
  pgfns::text_format<T>::write(*v, out);
  return out;
}

template <class T>
bool same_field(const boost::json::value& j, const std::optional<T>& v) {
  if (!v) return j.is_null();
  return !j.is_null() && same_value(j, *v);
}

// Checks one typed row against a JSON row of db.call. With `exact`, the JSON row has exactly
// the generated columns; without, it may have more (a row read back by another method), and
// lacks only the columns `unread` names.
template <class Row>
void expect_same_row(const boost::json::object& dyn, const Row& typed, std::string_view method,
                     std::size_t row, bool exact = true,
                     const std::vector<std::string_view>& unread = {}) {
  constexpr const auto& columns = pgfns::row_traits<Row>::columns;
  static_assert(
      boost::pfr::tuple_size_v<Row> == std::tuple_size_v<std::remove_cvref_t<decltype(columns)>>,
      "a generated row struct has one member per column");
  if (exact) BOOST_TEST(dyn.size() == columns.size(), method << " row " << row << ": columns");
  boost::pfr::for_each_field(typed, [&](const auto& field, std::size_t i) {
    const boost::json::value* j = dyn.if_contains(columns[i]);
    if (!j) {
      const bool expected = std::find(unread.begin(), unread.end(), columns[i]) != unread.end();
      BOOST_TEST(expected, method << " row " << row << ": db.call has no column " << columns[i]);
      return;
    }
    BOOST_TEST(same_field(*j, field), method << " row " << row << " column " << columns[i]
                                             << ": db.call " << boost::json::serialize(*j)
                                             << ", typed " << shown(field));
  });
}

// Which methods each service called through its bindings, and which of them gave data to
// compare (a successful call with rows, or a void method whose effect was checked).
struct coverage {
  std::map<std::string, std::set<std::string>> called;  // service -> methods
  std::set<std::string> with_data;                      // methods
};

// One service's bindings compared with db.call.
class comparison {
 public:
  comparison(std::string service, coverage& record)
      : service_(std::move(service)), record_(&record) {}

  // A typed call and db.call of the same method with the same arguments: the same code, the
  // same SQLSTATE, the same pool, and on success the same rows (`rows` of them).
  // `sqlstate` is what both must fail with ("" for success), `rows` how many rows both give.
  template <class Row>
  void same(const boost::system::error_code& typed_ec,
            const pgfns::typed_result<std::vector<Row>>& typed,
            const boost::system::error_code& dyn_ec, const pgfns::result& dyn,
            std::string_view sqlstate, std::optional<std::size_t> rows = std::nullopt) {
    const std::string& method = note(typed_ec, typed.diag, dyn_ec, dyn.diag);
    BOOST_TEST(typed.diag.sqlstate == sqlstate,
               method << ": " << pgfns::format_error(typed_ec, typed.diag));
    if (typed_ec || dyn_ec) return;
    if (rows) BOOST_TEST(typed.value.size() == *rows, method << ": rows");
    BOOST_TEST_REQUIRE(dyn.size() == typed.value.size(), method << ": rows");
    for (std::size_t i = 0; i < dyn.size(); ++i) expect_same_row(dyn[i], typed.value[i], method, i);
    if (!dyn.empty()) record_->with_data.insert(method);
  }

  // A typed call of a method whose result db.call cannot repeat (a write): it succeeded, and
  // each row matches the row db.call's `read_back` gives (which may have more columns, and
  // lacks only those `unread` names).
  template <class Row>
  void same_as_read_back(const boost::system::error_code& typed_ec,
                         const pgfns::typed_result<std::vector<Row>>& typed,
                         const pgfns::result& read_back,
                         const std::vector<std::string_view>& unread = {}) {
    const std::string& method = note(typed_ec, typed.diag, typed_ec, typed.diag);
    BOOST_TEST_REQUIRE(!typed_ec, method << ": " << pgfns::format_error(typed_ec, typed.diag));
    BOOST_TEST_REQUIRE(typed.value.size() == read_back.size(), method << ": rows");
    for (std::size_t i = 0; i < typed.value.size(); ++i)
      expect_same_row(read_back[i], typed.value[i], method, i, false, unread);
    if (!typed.value.empty()) record_->with_data.insert(method);
  }

  // A void method called through the bindings; `effect_seen` says whether db.call read its
  // effect back.
  void void_call(const boost::system::error_code& ec, const pgfns::typed_result<void>& typed,
                 bool effect_seen) {
    const std::string& method = note(ec, typed.diag, ec, typed.diag);
    BOOST_TEST_REQUIRE(!ec, method << ": " << pgfns::format_error(ec, typed.diag));
    BOOST_TEST(effect_seen, method << ": db.call does not see the effect");
    if (effect_seen) record_->with_data.insert(method);
  }

  // Both paths failed alike, with SQLSTATE `sqlstate`.
  void same_failure(const boost::system::error_code& typed_ec, const pgfns::diagnostics& typed,
                    const boost::system::error_code& dyn_ec, const pgfns::diagnostics& dyn,
                    std::string_view sqlstate) {
    note(typed_ec, typed, dyn_ec, dyn);
    BOOST_TEST(typed.sqlstate == sqlstate,
               typed.method << ": " << pgfns::format_error(typed_ec, typed));
  }

 private:
  const std::string& note(const boost::system::error_code& typed_ec,
                          const pgfns::diagnostics& typed, const boost::system::error_code& dyn_ec,
                          const pgfns::diagnostics& dyn) {
    BOOST_TEST(typed_ec == dyn_ec, typed.method
                                       << ": typed " << pgfns::format_error(typed_ec, typed)
                                       << "; db.call " << pgfns::format_error(dyn_ec, dyn));
    BOOST_TEST(typed.sqlstate == dyn.sqlstate);
    BOOST_TEST(typed.method == dyn.method);
    BOOST_TEST(typed.pool == dyn.pool, typed.method << ": pool");
    BOOST_TEST(!typed.method.empty());
    record_->called[service_].insert(typed.method);
    return typed.method;
  }

  std::string service_;
  coverage* record_;
};

}  // namespace pgfns::test

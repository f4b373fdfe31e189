// text_format against PostgreSQL itself: each value is written by text_format, sent as the
// parameter of `select $1::<type>`, and the server's output read back by text_format must equal
// the original, for every type, its edge cases and its array form. The connection is set up as
// pgfns sets up its own (conninfo: DateStyle, TimeZone, IntervalStyle, bytea_output ...).
#include <pgfns/text_format.hpp>
#include <pgfns/value.hpp>

#include "client/pq/conninfo.hpp"
#include "common/pq_handle.hpp"
#include "pg_test.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

using namespace std::chrono;
using pgfns::text_format;
using pgfns::detail::result_handle;

namespace {

class session {
 public:
  session() {
    const pgfns::detail::conninfo info(pgfns::test::server().primary, {});
    conn_.reset(PQconnectdbParams(info.keywords(), info.values(), 0));
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn_.get()));
  }

  void exec(const std::string& sql) {
    const result_handle r(PQexec(conn_.get(), sql.c_str()));
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
      throw std::runtime_error(sql + ": " + PQresultErrorMessage(r.get()));
  }

  // The text of the one field `sql` returns, given `param` as $1 (when not null).
  std::string value(const std::string& sql, const char* param = nullptr) {
    const result_handle r(PQexecParams(conn_.get(), sql.c_str(), param ? 1 : 0, nullptr, &param,
                                       nullptr, nullptr, 0));
    if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
      throw std::runtime_error(sql + ": " + PQresultErrorMessage(r.get()));
    if (PQntuples(r.get()) != 1 || PQnfields(r.get()) != 1 || PQgetisnull(r.get(), 0, 0))
      throw std::runtime_error(sql + ": not one non-NULL field");
    return {PQgetvalue(r.get(), 0, 0), static_cast<std::size_t>(PQgetlength(r.get(), 0, 0))};
  }

 private:
  pgfns::detail::conn_handle conn_;
};

session& db() {
  static session s;
  return s;
}

// At most the first 120 bytes of `s`, for a test message (written to a stream: g++ 12 -O2
// reports a false -Warray-bounds on every std::string built from a substring here).
struct excerpt {
  const std::string& s;
  friend std::ostream& operator<<(std::ostream& os, const excerpt& e) {
    if (e.s.size() <= 120) return os << e.s;
    return os << std::string_view(e.s).substr(0, 120) << "...";
  }
};

// Equality, with NaN equal to NaN and -0 apart from 0.
template <class T>
bool same(const T& a, const T& b) {
  if constexpr (std::is_floating_point_v<T>)
    return std::isnan(a) ? std::isnan(b) : a == b && std::signbit(a) == std::signbit(b);
  else
    return a == b;
}
template <class T>
bool same(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}

// `v` sent as `$1::sql_type` and read back; with `same_text`, the server prints what was sent.
template <class T>
void check_one(const std::string& sql_type, const T& v, bool same_text) {
  std::string sent;
  text_format<T>::write(v, sent);
  const std::string back = db().value("select $1::" + sql_type, sent.c_str());
  BOOST_TEST_CONTEXT(sql_type << ": sent " << excerpt{sent} << ", server printed "
                              << excerpt{back}) {
    if (same_text) BOOST_TEST(back == sent);
    try {
      BOOST_TEST(same(text_format<T>::read(back), v));
    } catch (const std::invalid_argument& e) {
      BOOST_ERROR(e.what());
    }
  }
}

// Each of `values`, then all of them as an array, then the empty array.
template <class T>
void check_values(const std::string& sql_type, const std::vector<T>& values, bool same_text) {
  for (const T& v : values) check_one(sql_type, v, same_text);
  check_one(sql_type + "[]", values, false);
  check_one(sql_type + "[]", std::vector<T>{}, true);
}

template <class T>
void check_refused(const std::string& sql, const std::string& reason) {
  const std::string text = db().value(sql);
  BOOST_TEST_CONTEXT(sql << " printed " << text) {
    try {
      (void)text_format<T>::read(text);
      BOOST_ERROR("no exception");
    } catch (const std::invalid_argument& e) {
      BOOST_TEST(std::string(e.what()).find(reason) != std::string::npos, e.what());
    }
  }
}

constexpr std::int64_t first_us = -210'866'803'200'000'000;  // 4714-11-24 00:00:00 BC
constexpr std::int64_t year_1_us = -62'135'596'800'000'000;  // 0001-01-01 00:00:00
constexpr auto i32_min = std::numeric_limits<std::int32_t>::min();
constexpr auto i32_max = std::numeric_limits<std::int32_t>::max();
constexpr auto i64_min = std::numeric_limits<std::int64_t>::min();
constexpr auto i64_max = std::numeric_limits<std::int64_t>::max();

}  // namespace

BOOST_AUTO_TEST_SUITE(text_format_server)

BOOST_AUTO_TEST_CASE(floating_point) {
  using d = std::numeric_limits<double>;
  check_values<double>(
      "float8",
      {0.0, -0.0, 0.1, 1.0 / 3, -2.5, 1e100, 1e-7, d::max(), d::lowest(), d::min(), d::denorm_min(),
       -d::denorm_min(), 9007199254740993.0, d::infinity(), -d::infinity(), d::quiet_NaN()},
      false);
  using f = std::numeric_limits<float>;
  check_values<float>("float4",
                      {0.0f, -0.0f, 0.1f, 1.0f / 3, f::max(), f::lowest(), f::min(),
                       f::denorm_min(), 16777217.0f, f::infinity(), -f::infinity(), f::quiet_NaN()},
                      false);
}

BOOST_AUTO_TEST_CASE(numeric) {
  const std::string digits = std::string(1000, '9') + "." + std::string(1000, '1');
  std::vector<pgfns::numeric> values;
  for (const std::string& t :
       {std::string("0"), std::string("-0.001"), std::string("12.50"), std::string("NaN"),
        std::string("Infinity"), std::string("-Infinity"), digits, "-" + digits,
        "0." + std::string(999, '0') + "1"})
    values.emplace_back(t);
  values.emplace_back(i64_min);
  values.emplace_back(i64_max);
  check_values("numeric", values, true);
  // The input forms with an exponent.
  BOOST_TEST(db().value("select $1::numeric", "1.5E-7") == "0.00000015");
  BOOST_TEST(db().value("select $1::numeric", "-2e+3") == "-2000");
}

BOOST_AUTO_TEST_CASE(uuid) {
  pgfns::uuid ff;
  ff.bytes.fill(0xff);
  check_values<pgfns::uuid>(
      "uuid", {pgfns::uuid::parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), pgfns::uuid{}, ff},
      true);
  for (const char* input :
       {"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}",
        "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"})
    BOOST_TEST(db().value("select $1::uuid", input) == pgfns::uuid::parse(input).str(), input);
}

BOOST_AUTO_TEST_CASE(timestamps_and_dates) {
  const std::vector<std::int64_t> instants = {
      0,
      (sys_days{2024y / February / 29} + 12h + 34min + 56s + 789ms).time_since_epoch().count(),
      (sys_days{2000y / February / 29} + 1us).time_since_epoch().count(),
      -1,
      microseconds(sys_days{year{10000} / January / 1}.time_since_epoch()).count(),
      year_1_us,
      year_1_us - 1,
      microseconds(sys_days{year{0} / February / 29}.time_since_epoch()).count(),
      first_us,
      i64_max - 1};
  std::vector<pgfns::timestamptz> tz{pgfns::timestamptz::max(), pgfns::timestamptz::min()};
  std::vector<pgfns::timestamp> local{pgfns::timestamp::max(), pgfns::timestamp::min()};
  for (const std::int64_t us : instants) {
    tz.emplace_back(microseconds(us));
    local.emplace_back(microseconds(us));
  }
  check_values("timestamptz", tz, true);
  check_values("timestamp", local, true);
  check_values<pgfns::date>(
      "date",
      {pgfns::date{}, pgfns::date{2024y / February / 29}, pgfns::date{year{0} / February / 29},
       pgfns::date{days(-2'440'588)}, pgfns::date{days(2'145'042'905)},
       pgfns::date{year{32767} / December / 31}, pgfns::date::max(), pgfns::date::min()},
      true);
}

BOOST_AUTO_TEST_CASE(timestamptz_printed_in_other_zones) {
  for (const char* zone : {"Asia/Kolkata", "America/St_Johns", "Europe/Amsterdam"}) {
    db().exec(std::string("set TimeZone = '") + zone + "'");
    for (const pgfns::timestamptz t : {pgfns::timestamptz(sys_days{1900y / January / 1}),
                                       pgfns::timestamptz(sys_days{2024y / June / 1} + 12h + 1us),
                                       pgfns::timestamptz(microseconds(year_1_us - 1))})
      check_one("timestamptz", t, false);
  }
  db().exec("set TimeZone = 'UTC'");
}

BOOST_AUTO_TEST_CASE(intervals) {
  check_values<pgfns::interval>("interval",
                                {{},
                                 {14, -3, 14'706'789'000},
                                 {-14, 3, -14'706'789'000},
                                 {0, 0, -1'000'000},
                                 {-1, 1, -1},
                                 {12, 0, 0},
                                 {1, 1, 1},
                                 {0, 0, 86'400'000'000},
                                 {i32_max, i32_max, i64_max},
                                 {i32_min, i32_min, i64_min},
                                 {i32_min, i32_max, 0},
                                 {0, 0, i64_min}},
                                false);
  BOOST_TEST((text_format<pgfns::interval>::read(
                  db().value("select interval '1 year 2 mons -3 days +04:05:06.789'")) ==
              pgfns::interval{14, -3, 14'706'789'000}));
}

BOOST_AUTO_TEST_CASE(json_and_jsonb) {
  namespace json = boost::json;
  std::vector<json::value> values;
  for (const char* text :
       {R"({"a":[1,2.5,"x\"y\\z",null,true,false],"b":{"c":-9223372036854775808}})", R"("a,b")",
        R"("{}")", R"("\\")", R"("\"")", R"("")", R"("NULL")", R"(" spaced ")", R"("é😀\u0001")",
        "null", "18446744073709551615", "1e300", "[]", "{}"})
    values.push_back(json::parse(text));
  json::value deep = json::array();
  for (std::size_t i = 1; i < pgfns::max_json_depth; ++i) deep = json::array{std::move(deep)};
  values.push_back(deep);
  check_values("jsonb", values, false);
  values.push_back(json::value(2.0));  // json keeps "2E0"; jsonb would print it as an integer
  check_values("json", values, false);
}

BOOST_AUTO_TEST_CASE(bytea) {
  pgfns::bytea all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<std::byte>(b));
  check_values<pgfns::bytea>("bytea", {all, {}, {std::byte{0}}, {std::byte{'"'}, std::byte{'\\'}}},
                             true);
}

BOOST_AUTO_TEST_CASE(text_elements_with_special_characters) {
  const std::vector<std::string> elements = {
      "plain", "with \"quotes\"", "back\\slash", "a,b", "{braces}", " spaced ", "", "NULL", "null",
      "\\\"",  "tab\there",       "new\nline",   "é",   "}",        "{",        ","};
  std::string literal = "{";
  for (std::size_t i = 0; i < elements.size(); ++i) {
    if (i) literal += ',';
    pgfns::detail::append_array_element(literal, elements[i]);
  }
  literal += '}';
  BOOST_TEST(db().value("select array_length($1::text[], 1)", literal.c_str()) ==
             std::to_string(elements.size()));
  BOOST_TEST(db().value("select array_position($1::text[], NULL) is null", literal.c_str()) == "t");
  const std::string back = db().value("select $1::text[]", literal.c_str());
  std::string scratch;
  const auto got = pgfns::detail::split_array(back, scratch);
  BOOST_TEST(std::vector<std::string>(got.begin(), got.end()) == elements,
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(refusals_of_what_the_server_prints) {
  using doubles = std::vector<double>;
  check_refused<doubles>("select array[1.5, NULL]::float8[]", "an array with a NULL element");
  check_refused<doubles>("select '{{1,2},{3,4}}'::float8[]", "a multi-dimensional array");
  check_refused<doubles>("select '[0:1]={1,2}'::float8[]", "an array with explicit bounds");
  db().exec("set bytea_output = escape");
  check_refused<pgfns::bytea>("select '\\x41ff'::bytea", "bytea_output=hex");
  db().exec("set bytea_output = hex");
  for (const char* style : {"sql_standard", "iso_8601", "postgres_verbose"}) {
    db().exec(std::string("set IntervalStyle = ") + style);
    check_refused<pgfns::interval>("select interval '1 year 2 mons -3 days +04:05:06.789'",
                                   "not an interval");
  }
  db().exec("set IntervalStyle = postgres");
  db().exec("set DateStyle = German");
  check_refused<pgfns::date>("select date '2024-02-29'", "not a date");
  check_refused<pgfns::timestamp>("select timestamp '2024-02-29 01:02:03'", "not a timestamp");
  db().exec("set DateStyle = ISO, MDY");
  check_refused<pgfns::timestamptz>("select timestamptz '294276-12-31 23:59:59.999999+00'",
                                    "out of range for timestamptz");
}

BOOST_AUTO_TEST_SUITE_END()

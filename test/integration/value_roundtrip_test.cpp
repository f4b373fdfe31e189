// Every type of the mapping in pgfns/value.hpp against a real server: arguments encoded with
// encode_param for the parameter type the server inferred, results decoded with
// rows_from_result, on a connection set up as pgfns sets up its own (DateStyle ISO, UTC).
#include <pgfns/value.hpp>

#include "common/pq_handle.hpp"
#include "pg_test.hpp"
#include "values/param_buffer.hpp"
#include "values/pg_types.hpp"
#include "values/result_rows.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace json = boost::json;
using pgfns::detail::result_handle;

namespace {

class session {
 public:
  session() : conn_(PQconnectdb(db_.write_url().c_str())) {
    if (PQstatus(conn_.get()) != CONNECTION_OK)
      throw std::runtime_error(std::string("connect: ") + PQerrorMessage(conn_.get()));
    exec("SET DateStyle = ISO, MDY; SET TimeZone = UTC");
  }

  void exec(const std::string& sql) {
    const result_handle r(PQexec(conn_.get(), sql.c_str()));
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      throw std::runtime_error(sql + ": " + PQresultErrorMessage(r.get()));
  }

  // Prepares `sql`, encodes `args` for the parameter types the server inferred, runs it and
  // returns its rows.
  json::array run(const std::string& sql, const std::vector<json::value>& args) {
    const result_handle prep(PQprepare(conn_.get(), "", sql.c_str(), 0, nullptr));
    if (PQresultStatus(prep.get()) != PGRES_COMMAND_OK)
      throw std::runtime_error(sql + ": " + PQresultErrorMessage(prep.get()));
    const result_handle desc(PQdescribePrepared(conn_.get(), ""));
    BOOST_TEST_REQUIRE(PQnparams(desc.get()) == static_cast<int>(args.size()));
    params_.clear();
    for (std::size_t i = 0; i < args.size(); ++i)
      params_.add(args[i], PQparamtype(desc.get(), static_cast<int>(i)));
    const result_handle res(
        PQexecPrepared(conn_.get(), "", params_.size(), params_.values(), nullptr, nullptr, 0));
    if (PQresultStatus(res.get()) != PGRES_TUPLES_OK)
      throw std::runtime_error(sql + ": " + PQresultErrorMessage(res.get()));
    return pgfns::detail::rows_from_result(res.get());
  }

  // `arg` sent as `$1::sql_type` and read back.
  json::value echo(const std::string& sql_type, const json::value& arg) {
    const json::array rows = run("select $1::" + sql_type + " as v", {arg});
    BOOST_TEST_REQUIRE(rows.size() == 1u);
    return rows.at(0).at("v");
  }

 private:
  pgfns::test::scratch_database db_{"value"};
  pgfns::detail::conn_handle conn_;
  pgfns::detail::param_buffer params_;
};

session& db() {
  static session s;
  return s;
}

struct roundtrip_case {
  std::string sql_type;
  std::string value;                    // JSON text of the argument
  std::optional<std::string> expected;  // JSON text of what comes back, when not the argument
};

void check_roundtrips(const std::vector<roundtrip_case>& cases) {
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.sql_type << " " << c.value) {
      const json::value arg = json::parse(c.value);
      const json::value want = json::parse(c.expected.value_or(c.value));
      const json::value got = db().echo(c.sql_type, arg);
      BOOST_TEST(got == want, json::serialize(got) << " != " << json::serialize(want));
      BOOST_TEST(static_cast<int>(got.kind()) == static_cast<int>(want.kind()));
    }
  }
}

constexpr const char* numeric_40_digits =
    R"("1234567890123456789012345678901234567890.0123456789")";

}  // namespace

BOOST_AUTO_TEST_SUITE(value_roundtrip)

BOOST_AUTO_TEST_CASE(the_oid_table_matches_the_server_catalog) {
  for (const auto& t : pgfns::detail::pg_types) {
    BOOST_TEST_CONTEXT(t.name) {
      const json::array rows = db().run(
          "select format_type(oid, null) as name, typarray::int8 as array_oid,"
          " (select typelem::int8 from pg_type a where a.oid = t.typarray) as element"
          " from pg_type t where oid = $1",
          {json::value(t.oid)});
      BOOST_TEST_REQUIRE(rows.size() == 1u);
      BOOST_TEST(rows[0].at("name").as_string() == t.name);
      BOOST_TEST(rows[0].at("array_oid").as_int64() == static_cast<std::int64_t>(t.array_oid));
      BOOST_TEST(rows[0].at("element").as_int64() == static_cast<std::int64_t>(t.oid));
      BOOST_TEST(pgfns::detail::array_element(t.array_oid) == t.oid);
    }
  }
}

BOOST_AUTO_TEST_CASE(numbers_and_booleans) {
  check_roundtrips({
      {"int2", "-32768", {}},
      {"int2", "32767", {}},
      {"int4", "-2147483648", {}},
      {"int4", "2147483647", {}},
      {"int8", "-9223372036854775808", {}},
      {"int8", "9223372036854775807", {}},
      {"oid", "4294967295", {}},
      {"float8", "0.1", {}},
      {"float8", "1e308", {}},
      {"float8", "5e-324", {}},
      {"float8", "-1.7976931348623157e308", {}},
      {"float4", "1.1", {}},
      {"float4", "3.4028235e38", {}},
      {"float8", R"("NaN")", {}},
      {"float8", R"("Infinity")", {}},
      {"float8", R"("-Infinity")", {}},
      {"numeric", numeric_40_digits, {}},
      {"numeric", R"("12.50")", {}},
      {"numeric", R"("NaN")", {}},
      {"numeric", R"("-0.000000000000000000001")", {}},
      {"numeric", "9223372036854775807", R"("9223372036854775807")"},
      {"numeric", "0.1", R"("0.1")"},
      {"bool", "true", {}},
      {"bool", "false", {}},
  });
  const double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST(db().echo("float8", std::numeric_limits<double>::quiet_NaN()) == json::value("NaN"));
  BOOST_TEST(db().echo("float8", -inf) == json::value("-Infinity"));
  const json::value negative_zero = db().echo("float8", -0.0);
  BOOST_TEST_REQUIRE(negative_zero.is_double());
  BOOST_TEST(std::signbit(negative_zero.get_double()));
}

BOOST_AUTO_TEST_CASE(text_types) {
  db().exec("create extension if not exists citext");
  db().exec("create type mood as enum ('happy', 'sad')");
  check_roundtrips({
      {"text", R"("")", {}},
      {"text", R"("héllo ✓ 日本語 😀")", {}},
      {"text", R"(" quote \" backslash \\ tab \t newline \n ")", {}},
      {"varchar", R"("{1,2}")", {}},
      {"bpchar", R"("ab")", {}},
      {"char(4)", R"("ab")", R"("ab  ")"},
      {"name", R"("pg_class")", {}},
      {"\"char\"", R"("x")", {}},
      {"uuid", R"("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")", {}},
      {"uuid", R"("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")",
       R"("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")"},
      {"citext", R"("MiXeD")", {}},
      {"mood", R"("sad")", {}},
      {"mood[]", R"("{happy,sad}")", {}},  // arrays of unknown types travel as literals
      {"inet", R"("192.168.0.1/24")", {}},
      {"bytea", R"("\\x00ff0a")", {}},
      {"bytea", R"("\\x")", {}},
      {"time", R"("04:05:06.789")", {}},
      {"timetz", R"("04:05:06+02")", {}},
      {"interval", R"("1 year 2 mons 3 days 04:05:06.5")", {}},
  });
  const std::string long_text(100000, 'z');
  BOOST_TEST(db().echo("text", json::string(long_text)) == json::value(long_text));
  const json::array rows = db().run("select row(1, 'a b', null::int) as r", {});
  BOOST_TEST(rows.at(0).at("r") == json::value(R"((1,"a b",))"));
}

BOOST_AUTO_TEST_CASE(json_and_jsonb) {
  const char* nested = R"({"a":{"b":[1,2.5,{"c":null}],"d":"x\"y"},"e":true})";
  check_roundtrips({
      {"json", nested, {}},
      {"jsonb", nested, {}},
      {"jsonb", R"("abc")", {}},
      {"json", R"("a\"b\\c")", {}},
      {"jsonb", "123", {}},
      {"jsonb", "[]", {}},
      {"jsonb", "[1,[2,[3]]]", {}},
      {"jsonb", R"({"k":"'); drop table x; --"})", {}},
  });
}

BOOST_AUTO_TEST_CASE(dates_and_timestamps) {
  check_roundtrips({
      {"date", R"("2024-02-29")", {}},
      {"date", R"("infinity")", {}},
      {"date", R"("0044-03-15 BC")", {}},
      {"timestamp", R"("2024-01-02T03:04:05")", {}},
      {"timestamp", R"("2024-01-02T03:04:05.123456")", {}},
      {"timestamp", R"("-infinity")", {}},
      {"timestamptz", R"("2024-01-02T03:04:05.5+00:00")", {}},
      {"timestamptz", R"("2024-01-02T08:34:05+05:30")", R"("2024-01-02T03:04:05+00:00")"},
      {"timestamptz", R"("2024-01-02T03:04:05Z")", R"("2024-01-02T03:04:05+00:00")"},
      {"timestamptz", R"("infinity")", {}},
  });
  db().exec("SET TimeZone = 'Asia/Kolkata'");
  const json::value india = db().echo("timestamptz", "2024-01-02T03:04:05+00:00");
  db().exec("SET TimeZone = 'America/Sao_Paulo'");
  const json::value brazil = db().echo("timestamptz", "2024-01-02T03:04:05+00:00");
  db().exec("SET TimeZone = UTC");
  BOOST_TEST(india == json::value("2024-01-02T08:34:05+05:30"));
  BOOST_TEST(brazil == json::value("2024-01-02T00:04:05-03:00"));
}

BOOST_AUTO_TEST_CASE(arrays) {
  check_roundtrips({
      {"int4[]", "[1,null,3]", {}},
      {"int4[]", "[]", {}},
      {"int4[]", "[[1,2],[3,null]]", {}},
      {"int2[]", "[-32768,32767]", {}},
      {"int8[]", "[-9223372036854775808,9223372036854775807]", {}},
      {"float8[]", R"([1.5,"NaN","-Infinity",-1e308])", {}},
      {"float4[]", "[1.1]", {}},
      {"numeric[]", R"(["1.10","NaN",)" + std::string(numeric_40_digits) + "]", {}},
      {"bool[]", "[true,false,null]", {}},
      {"text[]",
       R"(["a","b c","",null,"NULL","null","x\"y","back\\slash","{brace}","a,b"," lead ","é"])",
       {}},
      {"text[]", R"([["a",null],["b c","'); drop table x; --"]])", {}},
      {"varchar[]", R"(["$1","\\x00"])", {}},
      {"uuid[]", R"(["a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",null])", {}},
      {"json[]", R"([{"a":[1,"x\"y"]},"s",3,null])", {}},
      {"jsonb[]", R"([{"a":[1,"x\\y"]},"s",true])", {}},
      {"date[]", R"(["2024-01-02","infinity"])", {}},
      {"timestamp[]", R"(["2024-01-02T03:04:05","2024-01-02T03:04:05.5"])", {}},
      {"timestamptz[]", R"(["2024-01-02T03:04:05+00:00",null])", {}},
      {"bytea[]", R"(["\\x0a0b","\\x",null])", {}},
  });
}

BOOST_AUTO_TEST_CASE(injection_looking_values_stay_values) {
  db().exec("create table x (id int)");
  const std::vector<std::string> tricky = {"'); drop table x; --",       "$1",
                                           "'; select pg_sleep(10); --", "\\'; drop table x; --",
                                           "\"); drop table x; --",      "$$; drop table x; $$"};
  for (const auto& s : tricky) {
    BOOST_TEST(db().echo("text", json::string(s)) == json::value(s));
    BOOST_TEST(db().echo("jsonb", json::string(s)) == json::value(s));
  }
  json::array as_array;
  for (const auto& s : tricky) as_array.emplace_back(s);
  BOOST_TEST(db().echo("text[]", as_array) == json::value(as_array));
  BOOST_TEST(db().run("select count(*) as n from x", {}).at(0).at("n") == json::value(0));
}

BOOST_AUTO_TEST_CASE(a_stored_function_returns_a_row_of_every_kind) {
  db().exec(R"(create function echo_row(i_in int8, t_in text, f_in float8, n_in numeric,
      b_in boolean, j_in jsonb, ts_in timestamptz, a_in text[], by_in bytea)
    returns table(i int8, t text, f float8, n numeric, b boolean, j jsonb, ts timestamptz,
      a text[], "by" bytea)
    language plpgsql as $$
    begin
      return query select i_in, t_in, f_in, n_in, b_in, j_in, ts_in, a_in, by_in;
    end $$)");
  const json::value row = json::parse(R"({"i": -9223372036854775808, "t": "'); drop table x; --",
      "f": 0.1, "n": "0.30000000000000000000000000000000000001", "b": true,
      "j": {"k": ["v", 1, null]}, "ts": "2024-01-02T03:04:05.000001+00:00",
      "a": ["a,b", "", null], "by": "\\xdeadbeef"})");
  std::vector<json::value> args;
  for (const auto& kv : row.as_object()) args.push_back(kv.value());
  const json::array rows = db().run(
      "select * from echo_row(i_in => $1, t_in => $2, f_in => $3, n_in => $4, b_in => $5,"
      " j_in => $6, ts_in => $7, a_in => $8, by_in => $9)",
      args);
  BOOST_TEST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows[0] == row, json::serialize(rows[0]));
  // NULL arguments come back as null.
  const std::vector<json::value> nulls(9, nullptr);
  const json::array null_rows =
      db().run("select * from echo_row($1, $2, $3, $4, $5, $6, $7, $8, $9)", nulls);
  for (const auto& kv : null_rows.at(0).as_object()) BOOST_TEST(kv.value().is_null(), kv.key());
}

BOOST_AUTO_TEST_SUITE_END()

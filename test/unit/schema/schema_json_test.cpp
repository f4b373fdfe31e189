// The JSON form: deterministic, complete (it loads back to the same bytes), and checked by the
// same rules as the YAML tree, so a tampered document is refused.
#include <pgfns/schema.hpp>

#include "schema_test_paths.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <set>

namespace json = boost::json;
using pgfns::schema;

namespace {

const schema& taskcluster() {
  static const schema s = schema::from_db_directory(pgfns::test::taskcluster_db());
  return s;
}

const json::value& taskcluster_json() {
  static const json::value v = taskcluster().to_json();
  return v;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Applies `tamper` to a copy of the Taskcluster JSON and expects from_json to refuse it.
pgfns::schema_error refused(const std::function<void(json::object&)>& tamper) {
  json::value v = taskcluster_json();
  tamper(v.as_object());
  try {
    schema::from_json(v, "tc.json");
  } catch (const pgfns::schema_error& e) {
    BOOST_TEST(e.file() == "tc.json");
    return e;
  }
  BOOST_FAIL("the tampered document was accepted");
  throw std::logic_error("unreachable");
}

json::array& methods_of(json::object& doc, std::size_t version_index) {
  return doc["versions"].as_array()[version_index].as_object()["methods"].as_array();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_json)

BOOST_AUTO_TEST_CASE(taskcluster_round_trips_to_identical_bytes, *pgfns::test::needs_shared()) {
  const std::string text = taskcluster().to_json_text();
  const schema back = schema::from_json_text(text, "tc.json");
  BOOST_TEST(back.to_json_text() == text);
  BOOST_TEST(back.latest_version() == 128);
  BOOST_TEST(back.methods().size() == 455u);
  BOOST_TEST(back.tables().size() == 35u);
  BOOST_TEST(back.services().size() == 11u);
  // The same warning, located in the document.
  BOOST_TEST_REQUIRE(back.warnings().size() == 1u);
  BOOST_TEST(back.warnings()[0].find("tc.json: versions[59].methods.get_tasks_by_task_group: ") ==
             0u);
}

BOOST_AUTO_TEST_CASE(the_document_has_a_fixed_shape, *pgfns::test::needs_shared()) {
  const schema s = schema::from_db_directory(pgfns::test::taskcluster_fixture("db-with-depr"));
  const std::string expected =
      R"j({"format":"pgfns-schema/1","versions":[{"version":1,"description":"",)j"
      R"j("migrationScript":"begin\n  create table secrets (\n    name text primary key,\n)j"
      R"j(    secret text\n  );\nend","downgradeScript":"begin\n  drop table secrets;\nend",)j"
      R"j("methods":[{"name":"get_secret","stub":false,"deprecated":false,)j"
      R"j("description":"test","mode":"read","serviceName":"secrets","args":"name text",)j"
      R"j("returns":"table (secret text)","body":"begin\n  return query select )j"
      R"j(secrets.secret from secrets where secrets.name = get_secret.name;\nend"}]},)j"
      R"j({"version":2,"description":"","migrationScript":"begin\nend","downgradeScript":)j"
      R"j("begin\nend","methods":[{"name":"get_secret","stub":true,"deprecated":true}]}],)j"
      R"j("access":{},"tables":{"secrets":{"name":"text not null","secret":"text",)j"
      R"j("expires":"timestamp not null"}}})j";
  BOOST_TEST(s.to_json_text() == expected);
}

BOOST_AUTO_TEST_CASE(every_fixture_that_loads_round_trips) {
  for (const char* name : {"good", "method-deprecation-lapse"}) {
    BOOST_TEST_CONTEXT(name) {
      const schema s = schema::from_db_directory(pgfns::test::own_fixture(name));
      const schema back = schema::from_json(s.to_json());
      BOOST_TEST(back.to_json_text() == s.to_json_text());
      BOOST_TEST(back.warnings().size() == s.warnings().size());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_changed_mode_is_refused, *pgfns::test::needs_shared()) {
  // Find the first redefinition of a method and flip its mode.
  json::value v = taskcluster_json();
  std::set<std::string> seen;
  std::size_t version_index = 0;
  std::string name;
  const auto& versions = v.as_object()["versions"].as_array();
  for (std::size_t i = 0; i < versions.size() && name.empty(); ++i) {
    for (const auto& m : versions[i].as_object().at("methods").as_array()) {
      const std::string n(m.as_object().at("name").as_string());
      if (!m.as_object().at("stub").as_bool() && !seen.insert(n).second) {
        version_index = i;
        name = n;
        break;
      }
    }
  }
  BOOST_TEST_REQUIRE(!name.empty());
  const auto e = refused([&](json::object& doc) {
    for (auto& m : methods_of(doc, version_index)) {
      auto& o = m.as_object();
      if (o["name"] == json::value(name)) o["mode"] = o["mode"] == "read" ? "write" : "read";
    }
  });
  BOOST_TEST(e.field() ==
             "versions[" + std::to_string(version_index) + "].methods." + name + ".mode");
  BOOST_TEST(contains(e.message(), "changes mode from"));
}

BOOST_AUTO_TEST_CASE(a_missing_version_is_refused, *pgfns::test::needs_shared()) {
  const auto e = refused([](json::object& doc) {
    auto& versions = doc["versions"].as_array();
    versions.erase(versions.begin() + 5);
  });
  BOOST_TEST(e.field() == "versions");
  BOOST_TEST(e.message() == "version 6 is missing (have versions[4], versions[5])");
}

BOOST_AUTO_TEST_CASE(an_unknown_key_is_refused, *pgfns::test::needs_shared()) {
  const auto e = refused(
      [](json::object& doc) { doc["versions"].as_array()[0].as_object()["author"] = "someone"; });
  BOOST_TEST(e.field() == "versions[0].author");
  BOOST_TEST(e.message() == "unknown key");
  const auto top = refused([](json::object& doc) { doc["comment"] = "x"; });
  BOOST_TEST(top.field() == "comment");
  const auto method =
      refused([](json::object& doc) { methods_of(doc, 0).at(0).as_object()["language"] = "sql"; });
  BOOST_TEST(contains(method.field(), ".language"));
  BOOST_TEST(method.message() == "unknown key");
}

BOOST_AUTO_TEST_CASE(a_wrong_type_is_refused, *pgfns::test::needs_shared()) {
  const auto version = refused(
      [](json::object& doc) { doc["versions"].as_array()[2].as_object()["version"] = "3"; });
  BOOST_TEST(version.field() == "versions[2].version");
  BOOST_TEST(version.message() == "must be an integer, not a string");
  const auto args =
      refused([](json::object& doc) { methods_of(doc, 0).at(0).as_object()["args"] = 5; });
  BOOST_TEST(contains(args.field(), "versions[0].methods."));
  BOOST_TEST(args.message() == "must be a string, not a number");
  const auto access = refused([](json::object& doc) { doc["access"] = json::array{}; });
  BOOST_TEST(access.field() == "access");
  BOOST_TEST(access.message() == "must be an object, not an array");
}

BOOST_AUTO_TEST_CASE(args_that_do_not_parse_are_refused, *pgfns::test::needs_shared()) {
  const auto e = refused([](json::object& doc) {
    methods_of(doc, 0).at(0).as_object()["args"] = "a_in integer b_in text";
  });
  BOOST_TEST(contains(e.field(), "versions[0].methods."));
  BOOST_TEST(contains(e.field(), ".args"));
  BOOST_TEST(e.message() ==
             "parameter 1 (\"a_in integer b_in text\"): \"integer b_in text\" is not a type (is a "
             "comma missing?)");
}

BOOST_AUTO_TEST_CASE(a_stub_for_an_unknown_method_is_refused, *pgfns::test::needs_shared()) {
  const auto e = refused([](json::object& doc) {
    methods_of(doc, 1).push_back(
        json::object{{"name", "no_such_method"}, {"stub", true}, {"deprecated", true}});
  });
  BOOST_TEST(e.field() == "versions[1].methods.no_such_method");
  BOOST_TEST(contains(e.message(), "which no earlier version defines"));
}

BOOST_AUTO_TEST_CASE(a_method_twice_in_one_version_is_refused, *pgfns::test::needs_shared()) {
  const auto e = refused([](json::object& doc) {
    auto& methods = methods_of(doc, 1);
    methods.push_back(json::value(methods.at(0)));
  });
  BOOST_TEST(contains(e.field(), "versions[1].methods."));
  BOOST_TEST(contains(e.message(), "a method appears once per version"));
}

BOOST_AUTO_TEST_CASE(access_and_tables_are_checked, *pgfns::test::needs_shared()) {
  const auto table = refused([](json::object& doc) {
    doc["access"].as_object()["auth"].as_object()["tables"].as_object()["no_such_table"] = "read";
  });
  BOOST_TEST(table.field() == "access.auth.tables.no_such_table");
  BOOST_TEST(contains(table.message(), "not in tables.yml"));
  const auto service =
      refused([](json::object& doc) { doc["access"].as_object().erase("secrets"); });
  BOOST_TEST(contains(service.field(), ".serviceName"));
  BOOST_TEST(contains(service.message(), "service secrets has no entry in access.yml"));
}

BOOST_AUTO_TEST_CASE(other_documents_are_refused, *pgfns::test::needs_shared()) {
  const auto format = refused([](json::object& doc) { doc["format"] = "something-else"; });
  BOOST_TEST(format.field() == "format");
  try {
    schema::from_json_text("{\"format\":\n  \"pgfns-schema/1\",,}", "broken.json");
    BOOST_FAIL("invalid JSON was accepted");
  } catch (const pgfns::schema_error& e) {
    BOOST_TEST(e.file() == "broken.json");
    BOOST_TEST(contains(e.message(), "invalid JSON at line 2, column 20"));
  }
  BOOST_CHECK_THROW(schema::from_json(json::value(42)), pgfns::schema_error);
}

BOOST_AUTO_TEST_SUITE_END()

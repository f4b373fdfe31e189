// The example schema in db/ keeps the properties the demo, the tests and the benchmarks rely
// on. (That it really runs on PostgreSQL is checked by the upgrade tests.)
#include <pgfns/schema.hpp>

#include "schema/signature.hpp"
#include "schema_test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

namespace fs = std::filesystem;
using pgfns::schema;

namespace {

fs::path db_dir() {
  return pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db";
}

const schema& db() {
  static const schema s = schema::from_db_directory(db_dir());
  return s;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// What the scripts grant: (service, table, privilege) and the tables they create.
struct database_state {
  std::set<std::tuple<std::string, std::string, std::string>> grants;
  std::set<std::string> tables;
  bool operator==(const database_state&) const = default;
};

// Applies the grants, revokes, create table and drop table statements of `script`.
void apply(const std::string& script, database_state& state) {
  static const std::regex grant(
      R"((grant|revoke)\s+([a-z, ]+?)\s+on\s+([a-z_]+)\s+(?:to|from)\s+\$db_user_prefix\$_([a-z_]+)\s*;)");
  static const std::regex table(R"((create|drop) table ([a-z_]+))");
  for (std::sregex_iterator it(script.begin(), script.end(), grant), end; it != end; ++it) {
    std::istringstream privileges((*it)[2].str());
    for (std::string p; std::getline(privileges >> std::ws, p, ',');) {
      p.erase(p.find_last_not_of(' ') + 1);
      const auto entry = std::tuple((*it)[4].str(), (*it)[3].str(), p);
      if ((*it)[1] == "grant") {
        state.grants.insert(entry);
      } else {
        BOOST_TEST(state.grants.erase(entry) == 1u, "revoke of a privilege never granted: " << p);
      }
    }
  }
  for (std::sregex_iterator it(script.begin(), script.end(), table), end; it != end; ++it) {
    if ((*it)[1] == "create") {
      state.tables.insert((*it)[2].str());
    } else {
      BOOST_TEST(state.tables.erase((*it)[2].str()) == 1u);
    }
  }
}

const pgfns::resolved_method& method(const std::string& name) {
  const pgfns::resolved_method* m = db().find_method(name);
  BOOST_TEST_REQUIRE(m != nullptr, "db/ has no method " << name);
  return *m;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(example_schema)

BOOST_AUTO_TEST_CASE(loads_without_warnings_with_several_services) {
  BOOST_TEST(db().warnings().empty());
  BOOST_TEST(db().services().size() >= 2u);
  BOOST_TEST(db().access().size() == db().services().size());
}

BOOST_AUTO_TEST_CASE(a_service_may_only_read_a_table_another_service_writes) {
  bool found = false;
  for (const auto& reader : db().access()) {
    for (const auto& [table, access] : reader.tables) {
      if (access != pgfns::table_access::read) continue;
      for (const auto& writer : db().access()) {
        for (const auto& [other, other_access] : writer.tables) {
          found |= other == table && other_access == pgfns::table_access::write;
        }
      }
    }
  }
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(read_and_write_methods_of_every_service) {
  for (const std::string& service : db().services()) {
    std::set<pgfns::method_mode> modes;
    for (const auto& m : db().methods()) {
      if (pgfns::normalize_service_name(m.definition.service_name) == service) {
        modes.insert(m.definition.mode);
      }
    }
    BOOST_TEST(modes.contains(pgfns::method_mode::read), service);
  }
  BOOST_TEST(to_string(method("get_product").definition.mode) == "read");
  BOOST_TEST(to_string(method("place_order").definition.mode) == "write");
  BOOST_TEST(to_string(method("set_stock").definition.mode) == "write");
}

BOOST_AUTO_TEST_CASE(a_deprecated_method_keeps_its_body) {
  const auto& m = method("list_products");
  BOOST_TEST(m.definition.deprecated);
  BOOST_TEST(!m.definition.body.empty());
  const pgfns::version& latest = *db().find_version(db().latest_version());
  BOOST_TEST(std::any_of(latest.methods.begin(), latest.methods.end(), [](const pgfns::method& s) {
    return s.name == "list_products" && s.stub;
  }));
}

BOOST_AUTO_TEST_CASE(a_body_is_redefined_with_the_same_signature) {
  const auto& latest = method("place_order");
  BOOST_TEST(latest.defined_in > latest.first_defined_in);
  const auto first = db().all_methods(latest.first_defined_in);
  const auto original = std::find_if(
      first.begin(), first.end(), [](const auto& m) { return m.definition.name == "place_order"; });
  BOOST_TEST_REQUIRE((original != first.end()));
  BOOST_TEST(original->definition.body != latest.definition.body);
  BOOST_TEST(original->definition.args == latest.definition.args);
  BOOST_TEST(original->definition.returns == latest.definition.returns);
}

BOOST_AUTO_TEST_CASE(scripts_and_a_body_live_in_sql_files) {
  std::set<std::string> contents;
  for (const auto& entry : fs::directory_iterator(db_dir() / "versions")) {
    if (entry.path().extension() == ".sql") contents.insert(read_text(entry.path()));
  }
  const auto from_file = [&](const std::string& text) {
    return std::any_of(contents.begin(), contents.end(), [&](const std::string& c) {
      return c.find(text) != std::string::npos && text.size() + 2 >= c.size();
    });
  };
  bool migration = false, downgrade = false;
  for (const auto& v : db().versions()) {
    migration |= v.migration_script && from_file(*v.migration_script);
    downgrade |= v.downgrade_script && from_file(*v.downgrade_script);
  }
  BOOST_TEST(migration);
  BOOST_TEST(downgrade);
  BOOST_TEST(from_file(method("place_order").definition.body));
}

// Replaying the scripts' grants and tables: the latest version matches access.yml and
// tables.yml, and each downgrade script undoes exactly what its migration did.
BOOST_AUTO_TEST_CASE(scripts_grant_what_access_yml_says_and_downgrades_undo_them) {
  std::vector<database_state> before;
  database_state state;
  for (const auto& v : db().versions()) {
    before.push_back(state);
    if (v.migration_script) apply(*v.migration_script, state);
  }
  database_state expected;
  for (const auto& service : db().access()) {
    for (const auto& [table, access] : service.tables) {
      const auto name = pgfns::normalize_service_name(service.name);
      expected.grants.emplace(name, table, "select");
      if (access == pgfns::table_access::read) continue;
      for (const char* p : {"insert", "update", "delete"}) expected.grants.emplace(name, table, p);
    }
  }
  for (const auto& t : db().tables()) expected.tables.insert(t.name);
  BOOST_TEST((state == expected));

  for (auto v = db().versions().rbegin(); v != db().versions().rend(); ++v) {
    if (v->downgrade_script) apply(*v->downgrade_script, state);
    BOOST_TEST((state == before[static_cast<std::size_t>(v->number - 1)]), "version " << v->number);
  }
  BOOST_TEST(state.grants.empty());
  BOOST_TEST(state.tables.empty());
}

BOOST_AUTO_TEST_CASE(every_argument_can_be_named) {
  const std::regex named("^[a-z0-9_]+_in$");
  for (const auto& m : db().methods()) {
    for (const auto& p : pgfns::detail::parse_signature(m.definition.args).parameters) {
      BOOST_TEST(std::regex_match(p.name, named), m.definition.name << ": " << p.name);
    }
  }
}

BOOST_AUTO_TEST_CASE(methods_return_void_and_every_common_column_type) {
  BOOST_TEST(std::any_of(db().methods().begin(), db().methods().end(),
                         [](const auto& m) { return m.definition.returns == "void"; }));
  const std::string& returns = method("get_product_details").definition.returns;
  for (const char* type : {" integer", " bigint", " numeric", " boolean", " text", " uuid",
                           " jsonb", " timestamptz", " bytea", " text[]"}) {
    BOOST_TEST(returns.find(type) != std::string::npos, type);
  }
}

BOOST_AUTO_TEST_SUITE_END()

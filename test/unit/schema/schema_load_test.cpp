// Loading the real Taskcluster schema and the shared fixtures, with the outcomes their NOTICE
// lists.
#include <pgfns/schema.hpp>

#include "schema_test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <set>

using pgfns::schema;
using pgfns::schema_error;

namespace {

const schema& taskcluster() {
  static const schema s = schema::from_db_directory(pgfns::test::taskcluster_db());
  return s;
}

std::size_t count_deprecated(const std::vector<pgfns::resolved_method>& methods) {
  return static_cast<std::size_t>(std::count_if(
      methods.begin(), methods.end(), [](const auto& m) { return m.definition.deprecated; }));
}

// Loads `dir` expecting a schema_error; returns it.
schema_error load_error(const std::filesystem::path& dir) {
  try {
    schema::from_db_directory(dir);
  } catch (const schema_error& e) {
    return e;
  }
  BOOST_FAIL("loading " << dir << " succeeded; an error was expected");
  throw std::logic_error("unreachable");
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(taskcluster_schema, *pgfns::test::needs_shared())

BOOST_AUTO_TEST_CASE(loads_with_the_expected_counts) {
  const auto start = std::chrono::steady_clock::now();
  const schema s = schema::from_db_directory(pgfns::test::taskcluster_db());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_TEST_MESSAGE("loaded 128 versions in "
                     << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
                     << " ms");
  BOOST_TEST(s.latest_version() == 128);
  BOOST_TEST(s.versions().size() == 128u);
  BOOST_TEST(s.methods().size() == 455u);
  BOOST_TEST(count_deprecated(s.methods()) == 254u);
  BOOST_TEST(s.tables().size() == 35u);
  BOOST_TEST(s.access().size() == 11u);
  BOOST_TEST(s.services().size() == 11u);
  BOOST_TEST(s.services().front() == "auth");
  BOOST_TEST(s.services().back() == "worker_manager");
}

BOOST_AUTO_TEST_CASE(methods_are_sorted_and_distinct) {
  const auto& methods = taskcluster().methods();
  BOOST_TEST(std::is_sorted(methods.begin(), methods.end(), [](const auto& a, const auto& b) {
    return a.definition.name < b.definition.name;
  }));
  std::set<std::string> names;
  for (const auto& m : methods) {
    names.insert(m.definition.name);
    BOOST_TEST(!m.definition.stub);
    BOOST_TEST(taskcluster().find_method(m.definition.name) == &m);
  }
  BOOST_TEST(names.size() == methods.size());
}

// expire_secrets is defined in 0042.yml and stubbed ({deprecated: true}) in 0114.yml.
BOOST_AUTO_TEST_CASE(a_stub_resolves_to_the_definition_it_deprecates) {
  const auto* m = taskcluster().find_method("expire_secrets");
  BOOST_TEST_REQUIRE(m != nullptr);
  BOOST_TEST(m->definition.deprecated);
  BOOST_TEST(!m->definition.stub);
  BOOST_TEST(m->defined_in == 42);
  BOOST_TEST(m->first_defined_in == 42);
  BOOST_TEST(to_string(m->definition.mode) == "write");
  BOOST_TEST(m->definition.service_name == "secrets");
  BOOST_TEST(m->definition.args == "");
  BOOST_TEST(m->definition.returns == "integer");
  BOOST_TEST(m->definition.description == "Delete all secrets with an 'expires' in the past.");
  BOOST_TEST(m->definition.body ==
             "declare\n  count integer;\nbegin\n  delete from secrets where secrets.expires < "
             "now();\n  if found then\n    get diagnostics count = row_count;\n    return "
             "count;\n  end if;\n  return 0;\nend");

  const auto at = [](int version, std::string_view name) -> std::optional<pgfns::resolved_method> {
    for (auto& r : taskcluster().all_methods(version)) {
      if (r.definition.name == name) return r;
    }
    return std::nullopt;
  };
  BOOST_TEST(!at(41, "expire_secrets").has_value());
  const auto before = at(113, "expire_secrets");
  BOOST_TEST_REQUIRE(before.has_value());
  BOOST_TEST(!before->definition.deprecated);
  BOOST_TEST(before->defined_in == 42);
  const auto after = at(114, "expire_secrets");
  BOOST_TEST_REQUIRE(after.has_value());
  BOOST_TEST(after->definition.deprecated);
  BOOST_TEST(after->definition.body == m->definition.body);
}

BOOST_AUTO_TEST_CASE(scripts_named_by_file_are_read_in) {
  const auto* v8 = taskcluster().find_version(8);
  BOOST_TEST_REQUIRE(v8 != nullptr);
  BOOST_TEST_REQUIRE(v8->migration_script.has_value());
  BOOST_TEST(v8->migration_script->find('\n') != std::string::npos);
  BOOST_TEST(!contains(*v8->migration_script, "0008-migration.sql"));
  // 0030.yml's downgrade names 0015-migration.sql.
  BOOST_TEST(*taskcluster().find_version(30)->downgrade_script ==
             *taskcluster().find_version(15)->migration_script);
  // 0004.yml says `methods: []`.
  BOOST_TEST(taskcluster().find_version(4)->methods.empty());
}

BOOST_AUTO_TEST_CASE(lookups_outside_the_schema) {
  BOOST_TEST(taskcluster().find_version(0) == nullptr);
  BOOST_TEST(taskcluster().find_version(129) == nullptr);
  BOOST_TEST(taskcluster().find_method("no_such_method") == nullptr);
  BOOST_CHECK_THROW(taskcluster().all_methods(0), std::out_of_range);
  try {
    taskcluster().all_methods(129);
    BOOST_FAIL("all_methods(129) did not throw");
  } catch (const std::out_of_range& e) {
    BOOST_TEST(contains(e.what(), "129"));
    BOOST_TEST(contains(e.what(), "1 to 128"));
  }
}

// Version 60 redefines get_tasks_by_task_group without deprecated: true; 61 deprecates it again.
BOOST_AUTO_TEST_CASE(a_lapse_in_deprecation_is_a_warning) {
  const auto& warnings = taskcluster().warnings();
  BOOST_TEST_REQUIRE(warnings.size() == 1u);
  BOOST_TEST(contains(warnings[0], "versions/0060.yml: methods.get_tasks_by_task_group:"));
  BOOST_TEST(contains(warnings[0], "deprecated since version 59"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(taskcluster_fixtures, *pgfns::test::needs_shared())

BOOST_AUTO_TEST_CASE(db_simple_loads) {
  const schema s = schema::from_db_directory(pgfns::test::taskcluster_fixture("db-simple"));
  BOOST_TEST(s.latest_version() == 2);
  BOOST_TEST(s.methods().size() == 2u);
  BOOST_TEST(count_deprecated(s.methods()) == 0u);
  BOOST_TEST(s.find_method("list_secrets")->definition.args == "");
  // access.yml is {}: accepted, with a warning.
  BOOST_TEST_REQUIRE(s.warnings().size() == 1u);
  BOOST_TEST(s.warnings()[0] ==
             "access.yml: declares no services; methods of services secrets have no table access");
}

BOOST_AUTO_TEST_CASE(db_with_depr_loads_with_one_deprecated_method) {
  const schema s = schema::from_db_directory(pgfns::test::taskcluster_fixture("db-with-depr"));
  BOOST_TEST(s.latest_version() == 2);
  BOOST_TEST(s.methods().size() == 1u);
  const auto* m = s.find_method("get_secret");
  BOOST_TEST_REQUIRE(m != nullptr);
  BOOST_TEST(m->definition.deprecated);
  BOOST_TEST(m->defined_in == 1);
  BOOST_TEST(contains(m->definition.body, "return query select secrets.secret"));
  const auto at1 = s.all_methods(1);
  BOOST_TEST_REQUIRE(at1.size() == 1u);
  BOOST_TEST(!at1[0].definition.deprecated);
  BOOST_TEST(at1[0].defined_in == 1);
  BOOST_TEST(s.find_version(2)->methods.at(0).stub);
}

BOOST_AUTO_TEST_CASE(db_with_ext_files_names_the_missing_body_file) {
  const auto e = load_error(pgfns::test::taskcluster_fixture("db-with-ext-files"));
  BOOST_TEST(e.file() == "versions/0002.yml");
  BOOST_TEST(e.field() == "methods.list_secrets.body");
  BOOST_TEST(contains(e.message(), "0002-list-secrets.sql"));
  BOOST_TEST(contains(e.message(), "does not exist"));
}

BOOST_AUTO_TEST_CASE(db_with_dupes_names_both_files) {
  const auto e = load_error(pgfns::test::taskcluster_fixture("db-with-dupes"));
  BOOST_TEST(contains(e.what(), "0001.yml"));
  BOOST_TEST((contains(e.what(), "0001.yml and 001.yml")));
  BOOST_TEST(contains(e.message(), "duplicate version number 1"));
}

BOOST_AUTO_TEST_CASE(db_with_gaps_says_which_version_is_missing) {
  const auto e = load_error(pgfns::test::taskcluster_fixture("db-with-gaps"));
  BOOST_TEST(e.file() == "versions");
  BOOST_TEST(e.message() == "version 2 is missing (have 001.yml, 003.yml)");
}

BOOST_AUTO_TEST_CASE(db_with_duplicate_method_names_names_the_key) {
  const auto e = load_error(pgfns::test::taskcluster_fixture("db-with-duplicate-method-names"));
  BOOST_TEST(e.file() == "versions/0001.yml");
  BOOST_TEST(e.field() == "methods.get_secret");
  BOOST_TEST(contains(e.message(), "duplicate key get_secret"));
}

BOOST_AUTO_TEST_SUITE_END()

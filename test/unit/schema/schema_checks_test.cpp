// Every load-time check of a schema directory, each tripped by its own fixture under
// test/fixtures/<check>/: the error names the file and the field and says what is wrong.
#include <pgfns/schema.hpp>

#include "schema_test_paths.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <fstream>
#include <ostream>
#include <set>

namespace {

struct expected_error {
  const char* fixture;
  const char* file;
  const char* field;
  const char* phrase;  // part of message()
};

std::ostream& operator<<(std::ostream& os, const expected_error& e) {
  return os << e.fixture;
}

const expected_error checks[] = {
    // The versions/ directory, checked from file names before any file is parsed.
    {"versions-missing", "versions", "", "directory is missing"},
    {"versions-not-directory", "versions", "", "is not a directory"},
    {"versions-no-version-files", "versions", "", "contains no version files"},
    {"versions-subdirectory", "versions/old", "", "is a directory"},
    {"versions-hidden-file", "versions/.0001.yml.swp", "", "hidden file"},
    {"versions-broken-symlink", "versions/0002.yml", "", "is not a regular file"},
    {"versions-yaml-extension", "versions/0002.yaml", "", "not .yaml"},
    {"versions-bad-file-name", "versions/0002-deprecate.yml", "", "is not a version file name"},
    {"versions-stray-file", "versions/notes.txt", "", "unexpected file"},
    {"version-zero", "versions/0000.yml", "", "versions start at 1"},
    {"version-duplicate", "versions/02.yml", "",
     "duplicate version number 2 (0002.yml and 02.yml)"},
    {"version-gap", "versions", "", "version 2 is missing (have 0001.yml, 0003.yml)"},
    {"version-one-missing", "versions", "", "version 1 is missing (the lowest is 0002.yml)"},
    {"access-missing", "access.yml", "", "is missing"},
    {"tables-missing", "tables.yml", "", "is missing"},
    // Malformed YAML.
    {"yaml-syntax-error", "versions/0001.yml", "", "YAML syntax error at line 3, column 1"},
    {"yaml-two-documents", "versions/0001.yml", "", "contains 2 YAML documents"},
    // yaml-cpp's LoadAll never gets past a stray ',' starting a document (it adds empty
    // documents until memory runs out): reported as a syntax error instead.
    {"yaml-stray-comma", "versions/0001.yml", "",
     "YAML syntax error at line 1, column 1: unexpected ','"},
    {"yaml-empty-file", "tables.yml", "", "is empty"},
    {"yaml-binary-file", "versions/0001.yml", "", "is a binary file"},
    {"yaml-not-utf8", "versions/0001.yml", "", "is not valid UTF-8 text (at line 13"},
    {"yaml-list-for-map", "versions/0001.yml", "",
     "must be a map with version, methods, ..., not a list"},
    {"yaml-key-not-text", "versions/0001.yml", "", "has a key that is a list"},
    {"yaml-duplicate-key", "versions/0001.yml", "methods.get_secret.mode",
     "duplicate key mode (lines 14 and 22)"},
    {"yaml-number-for-text", "versions/0001.yml", "methods.get_secret.description",
     "must be text, not a number (5)"},
    {"yaml-bool-for-text", "versions/0001.yml", "methods.get_secret.mode",
     "must be text, not a boolean (true)"},
    {"yaml-null-for-text", "versions/0001.yml", "methods.get_secret.returns",
     "must be text, not empty (null)"},
    {"yaml-map-for-text", "versions/0001.yml", "methods.get_secret.args",
     "must be text, not a map"},
    {"yaml-tagged-value", "versions/0001.yml", "methods.get_secret.returns",
     "not a value tagged !sql"},
    // Version files.
    {"version-not-integer", "versions/0001.yml", "version",
     "must be a positive integer, not text (\"1\")"},
    {"version-mismatch", "versions/0002.yml", "version", "is 3 but the file name says version 2"},
    {"version-unknown-key", "versions/0001.yml", "author", "unknown key"},
    {"version-missing-version", "versions/0001.yml", "version", "missing"},
    {"version-missing-methods", "versions/0001.yml", "methods", "missing"},
    {"methods-list", "versions/0001.yml", "methods", "not a list"},
    {"methods-null", "versions/0001.yml", "methods", "not empty (null)"},
    {"scripts-migration-without-downgrade", "versions/0001.yml", "downgradeScript",
     "both or neither"},
    {"scripts-downgrade-without-migration", "versions/0001.yml", "migrationScript",
     "both or neither"},
    {"script-empty", "versions/0001.yml", "migrationScript", "is empty"},
    {"script-outside-versions", "versions/0001.yml", "methods.get_secret.body",
     "outside versions/"},
    {"script-not-sql-file", "versions/0001.yml", "methods.get_secret.body",
     "is not a .sql file name"},
    {"script-missing-file", "versions/0001.yml", "methods.get_secret.body",
     "names versions/0001-get-secret.sql, which does not exist"},
    {"sql-file-unreferenced", "versions/0001-get-secret.sql", "", "is not named by any"},
    {"text-nul-character", "versions/0001.yml", "methods.get_secret.body",
     "contains a NUL character"},
    // Method entries.
    {"method-not-map", "versions/0001.yml", "methods.get_secret", "must be a map"},
    {"method-unknown-key", "versions/0001.yml", "methods.get_secret.language", "unknown key"},
    {"method-deprecated-not-boolean", "versions/0001.yml", "methods.get_secret.deprecated",
     "must be true or false, not text (\"yes\")"},
    {"method-name-invalid", "versions/0001.yml", "methods.getSecret", "invalid method name"},
    {"method-duplicate-name", "versions/0001.yml", "methods.get_secret",
     "duplicate key get_secret"},
    {"method-empty", "versions/0001.yml", "methods.list_secrets", "is empty"},
    {"method-stub-deprecated-false", "versions/0002.yml", "methods.get_secret.deprecated",
     "a stub is exactly {deprecated: true}"},
    {"method-missing-field", "versions/0001.yml", "methods.get_secret", "missing returns"},
    {"method-empty-field", "versions/0001.yml", "methods.get_secret.description", "is empty"},
    {"method-bad-mode", "versions/0001.yml", "methods.get_secret.mode", "must be read or write"},
    {"method-bad-args", "versions/0001.yml", "methods.get_secret.args",
     "parameter 3 (reason_in): has no default, but parameter 2 before it has one"},
    {"method-bad-service-name", "versions/0001.yml", "methods.get_secret.serviceName",
     "invalid service name \"Secrets\""},
    // Procedures are forever.
    {"method-stub-undefined", "versions/0002.yml", "methods.list_secrets",
     "which no earlier version defines"},
    {"method-changed-mode", "versions/0002.yml", "methods.get_secret.mode",
     "changes mode from \"read\" (as defined in version 1) to \"write\""},
    {"method-changed-service", "versions/0002.yml", "methods.get_secret.serviceName",
     "changes serviceName from \"secrets\""},
    {"method-changed-args", "versions/0002.yml", "methods.get_secret.args",
     "changes args from \"name_in text\""},
    {"method-changed-returns", "versions/0002.yml", "methods.get_secret.returns",
     "changes returns from \"table (secret text)\""},
    {"method-undeprecated", "versions/0003.yml", "methods.get_secret.deprecated",
     "once deprecated, a method stays deprecated"},
    // access.yml and tables.yml.
    {"access-service-not-map", "access.yml", "secrets",
     "must be a map with the key tables, not text (\"write\")"},
    {"access-unknown-key", "access.yml", "secrets.functions", "unknown key"},
    {"access-missing-tables", "access.yml", "secrets", "missing tables"},
    {"access-tables-not-map", "access.yml", "secrets.tables", "not a list"},
    {"access-bad-service-name", "access.yml", "Auth", "invalid service name"},
    {"access-duplicate-service", "access.yml", "worker_manager", "same service as worker-manager"},
    {"access-bad-grant", "access.yml", "secrets.tables.secrets", "must be read or write"},
    {"access-unknown-table", "access.yml", "secrets.tables.clients", "which is not in tables.yml"},
    {"tables-table-not-map", "tables.yml", "clients", "must be a map of column to type"},
    {"tables-empty-type", "tables.yml", "secrets.expires", "is empty"},
    {"method-service-without-access", "versions/0001.yml", "methods.get_secret.serviceName",
     "service secrets has no entry in access.yml (it has auth)"},
};

// Fixtures that load (tested below rather than in the table; core-db is the schema of the call
// tests, upgrade-* are the schemas of the upgrade and downgrade tests, codegen-* those of the
// typed bindings tests).
const std::set<std::string> loading_fixtures = {
    "codegen-shapes", "codegen-unmapped-type",    "core-db",           "faults-db",
    "good",           "method-deprecation-lapse", "upgrade-lifecycle", "upgrade-online"};

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_checks)

BOOST_DATA_TEST_CASE(fixture_trips_its_check, boost::unit_test::data::make(checks), check) {
  try {
    pgfns::schema::from_db_directory(pgfns::test::own_fixture(check.fixture));
    BOOST_FAIL("fixture " << check.fixture << " loaded; expected an error");
  } catch (const pgfns::schema_error& e) {
    BOOST_TEST_INFO("what(): " << e.what());
    BOOST_TEST(e.file() == check.file);
    BOOST_TEST(e.field() == check.field);
    BOOST_TEST(e.message().find(check.phrase) != std::string::npos);
    const std::string prefix =
        std::string(check.file) + ": " + (*check.field ? std::string(check.field) + ": " : "");
    BOOST_TEST(std::string(e.what()) == prefix + e.message());
  }
}

BOOST_AUTO_TEST_CASE(every_fixture_is_tested) {
  std::set<std::string> listed = loading_fixtures;
  for (const auto& c : checks) BOOST_TEST(listed.insert(c.fixture).second, c.fixture << " twice");
  for (const auto& entry : std::filesystem::directory_iterator(pgfns::test::own_fixture(""))) {
    const std::string name = entry.path().filename().string();
    BOOST_TEST(listed.count(name) == 1u, "fixture " << name << " is not in the table");
  }
}

BOOST_AUTO_TEST_CASE(a_missing_schema_directory) {
  const auto dir = pgfns::test::own_fixture("no-such-fixture");
  try {
    pgfns::schema::from_db_directory(dir);
    BOOST_FAIL("loading a missing directory succeeded");
  } catch (const pgfns::schema_error& e) {
    BOOST_TEST(e.file() == dir.string());
    BOOST_TEST(e.message().find("no such directory") != std::string::npos);
  }
}

// The good fixture uses what the format allows: a README.md and .sql files in versions/, an
// access.yml service with a dash for a serviceName with an underscore, `methods: []`, a quoted
// number as a description, a deprecated redefinition and a stub.
BOOST_AUTO_TEST_CASE(the_good_fixture_loads) {
  const auto s = pgfns::schema::from_db_directory(pgfns::test::own_fixture("good"));
  BOOST_TEST(s.latest_version() == 4);
  BOOST_TEST(s.warnings().empty());
  BOOST_TEST(s.find_version(2)->description == "5");
  BOOST_TEST(*s.find_version(2)->migration_script ==
             "begin\n  create table workers (worker_id text not null);\nend\n");
  BOOST_TEST(s.find_version(3)->methods.empty());
  const auto* worker = s.find_method("get_worker");
  BOOST_TEST_REQUIRE(worker != nullptr);
  BOOST_TEST(worker->definition.body == "begin\n  perform 1;\nend\n");
  BOOST_TEST(worker->definition.service_name == "worker_manager");
  const auto* secret = s.find_method("get_secret");
  BOOST_TEST_REQUIRE(secret != nullptr);
  BOOST_TEST(secret->definition.deprecated);
  BOOST_TEST(secret->defined_in == 2);
  BOOST_TEST(secret->first_defined_in == 1);
  BOOST_TEST(s.find_version(4)->methods.at(0).stub);
  BOOST_TEST((s.services() == std::vector<std::string>{"secrets", "worker_manager"}));
  BOOST_TEST(s.access().at(1).name == "worker-manager");
  BOOST_TEST(s.tables().size() == 2u);
}

// Version 3 forgets deprecated: true on a method version 2 deprecated; version 4 deprecates it
// again. Taskcluster's schema does this (versions 59-61), so it loads, with a warning.
BOOST_AUTO_TEST_CASE(a_lapse_in_deprecation_loads_with_a_warning) {
  const auto s =
      pgfns::schema::from_db_directory(pgfns::test::own_fixture("method-deprecation-lapse"));
  BOOST_TEST_REQUIRE(s.warnings().size() == 1u);
  BOOST_TEST(s.warnings()[0].find("versions/0003.yml: methods.get_secret: redefines a method "
                                  "deprecated since version 2") == 0u);
  BOOST_TEST(!s.all_methods(3).at(0).definition.deprecated);
  BOOST_TEST(s.methods().at(0).definition.deprecated);
}

// Whatever the bytes of a version file, loading ends in a schema or a schema_error: never a
// crash or another exception. Every prefix of the good fixture's 0002.yml, and copies with one
// byte replaced by characters that matter to YAML.
BOOST_AUTO_TEST_CASE(damaged_files_give_schema_errors) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("pgfns-schema-damage-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(pgfns::test::own_fixture("good"), dir, fs::copy_options::recursive);
  const fs::path file = dir / "versions" / "0002.yml";
  std::string original;
  {
    std::ifstream in(file, std::ios::binary);
    original.assign(std::istreambuf_iterator<char>(in), {});
  }
  BOOST_TEST_REQUIRE(!original.empty());
  const auto try_load = [&](const std::string& bytes) {
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << bytes;
    }
    try {
      pgfns::schema::from_db_directory(dir);
    } catch (const pgfns::schema_error& e) {
      BOOST_TEST(!e.file().empty());
    } catch (const std::exception& e) {
      BOOST_ERROR("not a schema_error: " << e.what());
    }
  };
  std::size_t tried = 0;
  for (std::size_t n = 0; n < original.size(); ++n, ++tried) try_load(original.substr(0, n));
  for (std::size_t i = 0; i < original.size(); i += 3) {
    for (char c : {':', '-', '[', '{', ',', '\'', '"', '&', '*', '!', '\t', '\xff'}) {
      std::string damaged = original;
      damaged[i] = c;
      try_load(damaged);
      ++tried;
    }
  }
  BOOST_TEST_MESSAGE("loaded " << tried << " damaged copies");
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()

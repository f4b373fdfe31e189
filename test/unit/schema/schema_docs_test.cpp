// The generated documentation: methods, tables and versions.
#include <pgfns/schema_docs.hpp>

#include "schema_test_paths.hpp"
#include "temp_tree.hpp"

#include <boost/test/unit_test.hpp>

using pgfns::schema;

namespace {

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto pos = text.find(part); pos != std::string::npos; pos = text.find(part, pos + 1)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_docs)

BOOST_AUTO_TEST_CASE(db_with_depr_lists_its_deprecated_method, *pgfns::test::needs_shared()) {
  const schema s = schema::from_db_directory(pgfns::test::taskcluster_fixture("db-with-depr"));
  BOOST_TEST(pgfns::methods_markdown(s) ==
             "# Stored functions\n"
             "\n"
             "## Deprecated methods\n"
             "\n"
             "### `get_secret`\n"
             "\n"
             "* Service: `secrets`\n"
             "* Mode: read\n"
             "* Arguments: `name text`\n"
             "* Returns: `table (secret text)`\n"
             "* Last defined in version: 1\n"
             "\n"
             "test\n");
}

BOOST_AUTO_TEST_CASE(db_simple_lists_current_methods_per_service, *pgfns::test::needs_shared()) {
  const schema s = schema::from_db_directory(pgfns::test::taskcluster_fixture("db-simple"));
  BOOST_TEST(pgfns::methods_markdown(s) ==
             "# Stored functions\n"
             "\n"
             "## Service `secrets`\n"
             "\n"
             "### `get_secret`\n"
             "\n"
             "* Mode: read\n"
             "* Arguments: `name text`\n"
             "* Returns: `table (secret text)`\n"
             "* Last defined in version: 1\n"
             "\n"
             "test\n"
             "\n"
             "### `list_secrets`\n"
             "\n"
             "* Mode: read\n"
             "* Arguments: none\n"
             "* Returns: `table (name text, expires timestamp)`\n"
             "* Last defined in version: 2\n"
             "\n"
             "test\n"
             "\n"
             "## Deprecated methods\n"
             "\n"
             "None.\n");
}

BOOST_AUTO_TEST_CASE(every_taskcluster_method_appears_once, *pgfns::test::needs_shared()) {
  const schema s = schema::from_db_directory(pgfns::test::taskcluster_db());
  const std::string docs = pgfns::methods_markdown(s);
  BOOST_TEST(occurrences(docs, "\n### `") == s.methods().size());
  for (const auto& m : s.methods()) {
    BOOST_TEST(occurrences(docs, "\n### `" + m.definition.name + "`\n") == 1u, m.definition.name);
  }
  BOOST_TEST(occurrences(docs, "\n## Service `") == 11u);
  // Deprecated methods come after their heading, current ones before it.
  const auto deprecated_at = docs.find("\n## Deprecated methods\n");
  BOOST_TEST_REQUIRE(deprecated_at != std::string::npos);
  for (const auto& m : s.methods()) {
    const auto at = docs.find("\n### `" + m.definition.name + "`\n");
    BOOST_TEST((at > deprecated_at) == m.definition.deprecated, m.definition.name);
  }
}

BOOST_AUTO_TEST_CASE(db_simple_tables_and_versions, *pgfns::test::needs_shared()) {
  const schema s = schema::from_db_directory(pgfns::test::taskcluster_fixture("db-simple"));
  BOOST_TEST(pgfns::tables_markdown(s) ==
             "# Tables\n"
             "\n"
             "## `secrets`\n"
             "\n"
             "| Column | Type |\n"
             "| --- | --- |\n"
             "| `name` | `text not null` |\n"
             "| `secret` | `text` |\n"
             "| `expires` | `timestamp not null` |\n");
  // db-simple's versions have no description.
  BOOST_TEST(pgfns::versions_markdown(s) ==
             "# Versions\n"
             "\n"
             "| Version | Description |\n"
             "| --- | --- |\n"
             "| 0001 |  |\n"
             "| 0002 |  |\n");
  BOOST_TEST(pgfns::schema_markdown(s) == pgfns::methods_markdown(s) + "\n" +
                                              pgfns::tables_markdown(s) + "\n" +
                                              pgfns::versions_markdown(s));
}

// A description on several lines, or with a `|`, stays one cell of its row.
BOOST_AUTO_TEST_CASE(version_description_is_one_cell, *pgfns::test::needs_shared()) {
  const pgfns::test::temp_tree tree(pgfns::test::taskcluster_fixture("db-simple"));
  pgfns::test::replace_in_file(tree.path() / "versions" / "0002.yml", "version: 2\n",
                               "version: 2\ndescription: |-\n  expiry | for secrets,\n  "
                               "and `list_secrets`\n");
  const schema s = schema::from_db_directory(tree.path());
  BOOST_TEST(pgfns::versions_markdown(s) ==
             "# Versions\n"
             "\n"
             "| Version | Description |\n"
             "| --- | --- |\n"
             "| 0001 |  |\n"
             "| 0002 | expiry \\| for secrets, and `list_secrets` |\n");
}

BOOST_AUTO_TEST_CASE(shop_schema_tables_and_versions) {
  const schema s = schema::from_db_directory(pgfns::test::shop_db());
  const std::string tables = pgfns::tables_markdown(s);
  BOOST_TEST(occurrences(tables, "\n## `") == s.tables().size());
  for (const auto& t : s.tables()) {
    const auto heading = tables.find("\n## `" + t.name + "`\n");
    BOOST_TEST_REQUIRE(heading != std::string::npos, t.name);
    for (const auto& [column, type] : t.columns) {
      const auto row = tables.find("\n| `" + column + "` | `" + type + "` |\n", heading);
      BOOST_TEST(row != std::string::npos, t.name << "." << column);
    }
  }
  BOOST_TEST(pgfns::versions_markdown(s).find(
                 "| 0004 | keyset paging of products; orders refuse products off sale and empty "
                 "orders |\n") != std::string::npos);
  BOOST_TEST(occurrences(pgfns::versions_markdown(s), "\n| 000") == 4u);
}

BOOST_AUTO_TEST_CASE(taskcluster_tables_and_versions, *pgfns::test::needs_shared()) {
  const schema s = schema::from_db_directory(pgfns::test::taskcluster_db());
  const std::string docs = pgfns::schema_markdown(s);
  const auto tables_at = docs.find("\n# Tables\n");
  const auto versions_at = docs.find("\n# Versions\n");
  BOOST_TEST_REQUIRE(tables_at != std::string::npos);
  BOOST_TEST_REQUIRE(versions_at != std::string::npos);
  BOOST_TEST(tables_at < versions_at);
  BOOST_TEST(occurrences(docs, "\n## `") == 35u);  // tables.yml's tables, tcversion excepted
  BOOST_TEST(docs.find("\n## `tcversion`\n") == std::string::npos);
  BOOST_TEST(docs.find("\n## `secrets`\n\n| Column | Type |\n| --- | --- |\n| `name` | "
                       "`text not null` |\n") != std::string::npos);
  const std::string versions = pgfns::versions_markdown(s);
  BOOST_TEST(occurrences(versions, "\n| 0") == 128u);
  BOOST_TEST(versions.find("\n| 0001 | fake wigets table for DB deployment testing |\n") !=
             std::string::npos);
  BOOST_TEST(versions.ends_with("\n| 0128 | " + s.versions().back().description + " |\n"));
}

BOOST_AUTO_TEST_SUITE_END()

// The generated methods documentation.
#include <pgfns/schema_docs.hpp>

#include "schema_test_paths.hpp"

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

BOOST_AUTO_TEST_SUITE_END()

// Writing schema directories: `pgfns new-version` and `pgfns renumber`, their plans (pure
// functions of src/cli/authoring.hpp) and the binary (PGFNS_CLI) run on copies of schemas.
#include "authoring.hpp"

#include <pgfns/schema.hpp>

#include "run_process.hpp"
#include "schema_test_paths.hpp"
#include "temp_tree.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
namespace authoring = pgfns::cli::authoring;
using pgfns::test::process_result;
using pgfns::test::temp_tree;

namespace {

process_result pgfns_cli(std::vector<std::string> args) {
  args.insert(args.begin(), pgfns::test::env_dir("PGFNS_CLI").string());
  return pgfns::test::run_process(args);
}

std::string read(const fs::path& file) {
  std::ostringstream text;
  text << std::ifstream(file, std::ios::binary).rdbuf();
  return text.str();
}

// Every file of a tree (relative path -> content): what "nothing changed" compares.
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(entry.path(), dir).string();
    out[name] = entry.is_regular_file() ? read(entry.path()) : "<not a regular file>";
  }
  return out;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A refused run: exit 1, nothing on stdout, one line `error: ...` containing `detail`.
void check_refused(const process_result& r, const std::string& detail) {
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out == "");
  BOOST_TEST(r.err.starts_with("error: "), r.err);
  BOOST_TEST(r.err.find('\n') == r.err.size() - 1, r.err);
  BOOST_TEST(contains(r.err, detail), r.err);
}

// The `schema check` line of a directory that passes it with `versions` versions.
void check_passes(const fs::path& dir, int versions) {
  const auto r = pgfns_cli({"schema", "check", dir.string()});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out.starts_with("ok: " + std::to_string(versions) + " versions, "), r.out);
}

authoring::version_file version(int number, std::string text) {
  return {authoring::version_file_name(number), number, std::move(text)};
}

std::string simple_version(int number) {
  return "version: " + std::to_string(number) + "\nmethods: {}\n";
}

// The shop schema (db/) as a branch would have it after main took its version 4: the branch's
// version 4 (with its body file 0004-place-order.sql) numbered 5, version 4 missing.
void move_shop_version_4_to_5(const fs::path& db) {
  const fs::path versions = db / "versions";
  pgfns::test::replace_in_file(versions / "0004.yml", "version: 4\n", "version: 5\n");
  pgfns::test::replace_in_file(versions / "0004.yml", "body: 0004-place-order.sql",
                               "body: 0005-place-order.sql");
  fs::rename(versions / "0004.yml", versions / "0005.yml");
  fs::rename(versions / "0004-place-order.sql", versions / "0005-place-order.sql");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plans)

BOOST_AUTO_TEST_CASE(version_file_names) {
  BOOST_TEST(authoring::version_file_name(5) == "0005.yml");
  BOOST_TEST(authoring::version_file_name(12345) == "12345.yml");
  BOOST_TEST(authoring::version_file_number("0012.yml").value_or(-1) == 12);
  BOOST_TEST(authoring::version_file_number("012.yml").value_or(-1) == 12);
  for (const char* not_a_version : {"0012.yaml", ".yml", "0012-migration.sql", "12a.yml", "-1.yml",
                                    "README.md", "99999999999.yml"}) {
    BOOST_TEST(!authoring::version_file_number(not_a_version).has_value(), not_a_version);
  }
}

BOOST_AUTO_TEST_CASE(new_version_text_is_numbered_and_has_no_methods) {
  const std::string text = authoring::new_version_text(7);
  BOOST_TEST(contains(text, "\nversion: 7\n"), text);
  BOOST_TEST(contains(text, "\nmethods: {}\n"), text);
  BOOST_TEST(contains(text, "\nmigrationScript: |-\n  begin\n  end\n"), text);
  BOOST_TEST(contains(text, "\ndowngradeScript: |-\n  begin\n  end\n"), text);
}

BOOST_AUTO_TEST_CASE(renumber_rewrites_the_version_and_the_files_carrying_its_number) {
  const std::string text =
      "# version 3 of 3\n"
      "version: 3 # was 3\n"
      "description: uses 0003-migration.sql\n"
      "migrationScript: 0003-migration.sql\n"
      "downgradeScript: '0003-downgrade.sql'\n"
      "methods:\n"
      "  f:\n"
      "    body: 3-f.sql\n"
      "  g:\n"
      "    body: \"shared.sql\"\n"
      "  h:\n"
      "    body: |-\n"
      "      begin\n"
      "      end\n";
  const std::vector<authoring::version_file> versions{version(1, simple_version(1)),
                                                      version(3, text)};
  const std::set<std::string> names{"0001.yml",           "0003.yml", "0003-migration.sql",
                                    "0003-downgrade.sql", "3-f.sql",  "shared.sql"};
  const authoring::renumber_plan plan = authoring::plan_renumber(versions, names, 3, 2, {});
  BOOST_TEST(plan.old_file == "0003.yml");
  BOOST_TEST(plan.new_file == "0002.yml");
  BOOST_TEST(plan.new_text ==
             "# version 3 of 3\n"
             "version: 2 # was 3\n"
             "description: uses 0003-migration.sql\n"
             "migrationScript: 0002-migration.sql\n"
             "downgradeScript: '0002-downgrade.sql'\n"
             "methods:\n"
             "  f:\n"
             "    body: 0002-f.sql\n"
             "  g:\n"
             "    body: \"shared.sql\"\n"
             "  h:\n"
             "    body: |-\n"
             "      begin\n"
             "      end\n");
  BOOST_TEST_REQUIRE(plan.sql.size() == 3u);
  BOOST_TEST(plan.sql[0].from == "0003-migration.sql");
  BOOST_TEST(plan.sql[0].to == "0002-migration.sql");
  BOOST_TEST(plan.sql[1].from == "0003-downgrade.sql");
  BOOST_TEST(plan.sql[1].to == "0002-downgrade.sql");
  BOOST_TEST(plan.sql[2].from == "3-f.sql");
  BOOST_TEST(plan.sql[2].to == "0002-f.sql");
}

BOOST_AUTO_TEST_CASE(renumber_keeps_line_breaks_and_quotes_of_the_version_field) {
  const std::vector<authoring::version_file> versions{
      version(1, simple_version(1)), version(3, "version: '3'\r\nmethods: {}\r\n")};
  const auto plan = authoring::plan_renumber(versions, {"0001.yml", "0003.yml"}, 3, 2, {});
  BOOST_TEST(plan.new_text == "version: '2'\r\nmethods: {}\r\n");
  BOOST_TEST(plan.sql.empty());
}

// Each refusal names its reason.
BOOST_AUTO_TEST_CASE(renumber_refusals) {
  const auto refused = [](const std::vector<authoring::version_file>& versions,
                          const std::set<std::string>& names, int from, int to,
                          std::optional<int> released, const std::string& reason) {
    try {
      (void)authoring::plan_renumber(versions, names, from, to, released);
      BOOST_ERROR("renumbering " << from << " to " << to << " was not refused");
    } catch (const std::runtime_error& e) {
      BOOST_TEST(contains(e.what(), reason), e.what());
    }
  };
  // Versions 1, 2 and 4: 3 is the only number free to take.
  const std::vector<authoring::version_file> v124{
      version(1, simple_version(1)), version(2, simple_version(2)), version(4, simple_version(4))};
  const std::set<std::string> n124{"0001.yml", "0002.yml", "0004.yml"};
  refused(v124, n124, 5, 3, {}, "there is no version 5 to renumber: versions/ has no 0005.yml");
  refused(v124, n124, 4, 2, {}, "version 2 exists already: versions/0002.yml");
  refused(v124, n124, 4, 5, {},
          "5 is not the next free version number: versions are contiguous from 1, so a version "
          "can only move to 3");
  refused(v124, n124, 2, 3, {}, "would leave a gap: version 2 would be missing");
  refused(v124, n124, 4, 3, 4, "version 4 is released (releases.txt lists database version 4)");
  refused(v124, n124, 4, 4, {}, "FROM and TO are both 4");
  refused(v124, n124, 0, 3, {}, "version numbers start at 1");
  // Versions 1, 3, 5 and 6: moving 6 to 2 fills one gap and leaves the other.
  refused({version(1, simple_version(1)), version(3, simple_version(3)),
           version(5, simple_version(5)), version(6, simple_version(6))},
          {"0001.yml", "0003.yml", "0005.yml", "0006.yml"}, 6, 2, {},
          "renumbering version 6 to 2 would leave a gap: version 4 would be missing");
  refused({version(1, simple_version(1)), authoring::version_file{"001.yml", 1, simple_version(1)},
           version(3, simple_version(3))},
          {"0001.yml", "001.yml", "0003.yml"}, 3, 2, {},
          "versions/ has two files for version 1: 0001.yml and 001.yml");
  refused({version(1, simple_version(1)), version(3, "methods: {}\n")}, {"0001.yml", "0003.yml"}, 3,
          2, {}, "versions/0003.yml: no top-level 'version: 3' lines");
  refused({version(1, simple_version(1)), version(3, "version: 4\nmethods: {}\n")},
          {"0001.yml", "0003.yml"}, 3, 2, {}, "versions/0003.yml: its version field is 4, not 3");
  const std::string with_script = "version: 3\nmigrationScript: 0003-m.sql\nmethods: {}\n";
  refused({version(1, simple_version(1)), version(3, with_script)},
          {"0001.yml", "0003.yml", "0003-m.sql", "0002-m.sql"}, 3, 2, {},
          "cannot rename versions/0003-m.sql to versions/0002-m.sql: a file of that name exists");
  refused({version(1, "version: 1\ndowngradeScript: 0003-m.sql\nmethods: {}\n"),
           version(3, with_script)},
          {"0001.yml", "0003.yml", "0003-m.sql"}, 3, 2, {},
          "versions/0003-m.sql is named by versions/0001.yml too");
  refused({version(1, simple_version(1)), version(3, with_script)}, {"0001.yml", "0003.yml"}, 3, 2,
          {}, "versions/0003.yml names versions/0003-m.sql, which does not exist");
}

BOOST_AUTO_TEST_CASE(releases_txt) {
  BOOST_TEST(authoring::last_released_version("# comment\n\nv1.0.0: 3\nv1.1.0: 7\nv2.0.0: 7\n")
                 .value_or(-1) == 7);
  BOOST_TEST(!authoring::last_released_version("# no release yet\n").has_value());
  try {
    (void)authoring::last_released_version("v1.0.0: 3\nv1.1.0 seven\n");
    BOOST_ERROR("a line without a number was accepted");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(contains(e.what(), "releases.txt: line 2: "), e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(new_version)

BOOST_AUTO_TEST_CASE(writes_the_next_version_that_passes_schema_check) {
  const temp_tree tree(pgfns::test::shop_db());
  const int latest = pgfns::schema::from_db_directory(tree.path()).latest_version();
  for (int n = latest + 1; n <= latest + 2; ++n) {
    const auto r = pgfns_cli({"new-version", "--db", tree.path().string()});
    const fs::path file = tree.path() / "versions" / authoring::version_file_name(n);
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.err == "");
    BOOST_TEST(r.out == file.string() + "\n");
    BOOST_TEST(read(file) == authoring::new_version_text(n));
    check_passes(tree.path(), n);
  }
}

BOOST_AUTO_TEST_CASE(taskcluster_schema_and_fixture, *pgfns::test::needs_shared()) {
  for (const auto& [dir, next] : {std::pair{pgfns::test::taskcluster_db(), 129},
                                  std::pair{pgfns::test::taskcluster_fixture("db-simple"), 3}}) {
    const temp_tree tree(dir);
    const auto r = pgfns_cli({"new-version", "--db", tree.path().string()});
    BOOST_TEST(r.exit_code == 0, r.err);
    BOOST_TEST(r.out ==
               (tree.path() / "versions" / authoring::version_file_name(next)).string() + "\n");
    check_passes(tree.path(), next);
  }
}

BOOST_AUTO_TEST_CASE(refuses_what_is_not_a_valid_schema_directory, *pgfns::test::needs_shared()) {
  const temp_tree shop(pgfns::test::shop_db());
  const auto before = snapshot(shop.path());
  check_refused(pgfns_cli({"new-version", "--db", (shop.path() / "versions").string()}),
                (shop.path() / "versions").string() +
                    " is not a schema directory: it has no versions/ directory");
  check_refused(pgfns_cli({"new-version", "--db", (shop.path() / "missing").string()}),
                (shop.path() / "missing").string() + ": no such directory");
  check_refused(pgfns_cli({"new-version", "--db", (shop.path() / "access.yml").string()}),
                "is not a directory");
  BOOST_TEST((snapshot(shop.path()) == before));
  // Versions 1, 2 and 4: it does not pass `schema check`, so the next number is unknown.
  const temp_tree gaps(pgfns::test::taskcluster_fixture("db-with-gaps"));
  const auto gaps_before = snapshot(gaps.path());
  check_refused(pgfns_cli({"new-version", "--db", gaps.path().string()}),
                "cannot add a version to " + gaps.path().string() +
                    ": it does not pass 'pgfns schema check': versions: ");
  BOOST_TEST((snapshot(gaps.path()) == gaps_before));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(renumber)

BOOST_AUTO_TEST_CASE(fills_the_gap_with_the_version_and_its_sql_files) {
  const temp_tree tree(pgfns::test::shop_db());
  const auto original = snapshot(tree.path());
  move_shop_version_4_to_5(tree.path());
  const auto r = pgfns_cli({"renumber", "--db", tree.path().string(), "5", "4"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.err == "");
  BOOST_TEST(r.out ==
             "renamed versions/0005.yml to versions/0004.yml\n"
             "renamed versions/0005-place-order.sql to versions/0004-place-order.sql\n");
  BOOST_TEST((snapshot(tree.path()) == original));  // byte for byte what db/ holds
  check_passes(tree.path(), 4);
}

BOOST_AUTO_TEST_CASE(taskcluster_unreleased_version, *pgfns::test::needs_shared()) {
  const temp_tree tree(pgfns::test::taskcluster_db());
  const auto original = snapshot(tree.path());
  const fs::path versions = tree.path() / "versions";
  // releases.txt lists 128: a new version taken as 130 moves to 129.
  { std::ofstream(versions / "0130.yml") << authoring::new_version_text(130); }
  const auto r = pgfns_cli({"renumber", "--db", tree.path().string(), "130", "129"});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(r.out == "renamed versions/0130.yml to versions/0129.yml\n");
  BOOST_TEST(!fs::exists(versions / "0130.yml"));
  std::string expected = authoring::new_version_text(130);
  expected.replace(expected.find("\nversion: 130\n"), 14, "\nversion: 129\n");
  BOOST_TEST(read(versions / "0129.yml") == expected);
  check_passes(tree.path(), 129);
  // Released: refused, nothing changed.
  fs::remove(versions / "0129.yml");
  BOOST_TEST((snapshot(tree.path()) == original));
  check_refused(pgfns_cli({"renumber", "--db", tree.path().string(), "128", "129"}),
                "version 128 is released (releases.txt lists database version 128)");
  BOOST_TEST((snapshot(tree.path()) == original));
}

// Each refusal exits 1 with its reason, and leaves every file as it was.
BOOST_AUTO_TEST_CASE(refusals_change_nothing) {
  const temp_tree tree(pgfns::test::shop_db());
  move_shop_version_4_to_5(tree.path());  // versions 1, 2, 3 and 5
  const std::string db = tree.path().string();
  const auto before = snapshot(tree.path());
  const auto refused = [&](std::vector<std::string> args, const std::string& reason) {
    args.insert(args.begin(), {"renumber", "--db", db});
    check_refused(pgfns_cli(args), reason);
    BOOST_TEST((snapshot(tree.path()) == before));
  };
  refused({"9", "4"}, "there is no version 9 to renumber: versions/ has no 0009.yml");
  refused({"5", "3"}, "version 3 exists already: versions/0003.yml");
  refused({"5", "6"}, "6 is not the next free version number");
  refused({"3", "4"}, "renumbering version 3 to 4 would leave a gap: version 3 would be missing");
  refused({"2", "4"}, "would leave a gap: version 2 would be missing");
  // A result that would not pass `schema check` (version 5 has a key the format does not know).
  pgfns::test::replace_in_file(tree.path() / "versions" / "0005.yml", "version: 5\n",
                               "version: 5\nauthor: someone\n");
  const auto broken = snapshot(tree.path());
  check_refused(pgfns_cli({"renumber", "--db", db, "5", "4"}),
                "renumbering version 5 to 4 would leave " + db +
                    " failing 'pgfns schema check' (nothing was changed): versions/0004.yml: ");
  BOOST_TEST((snapshot(tree.path()) == broken));
  check_refused(pgfns_cli({"renumber", "--db", (tree.path() / "versions").string(), "5", "4"}),
                "is not a schema directory");
  BOOST_TEST((snapshot(tree.path()) == broken));
}

BOOST_AUTO_TEST_CASE(usage_errors) {
  const std::string db = pgfns::test::shop_db().string();
  const auto expect = [](std::vector<std::string> args, const std::string& err) {
    const auto r = pgfns_cli(args);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out == "");
    BOOST_TEST(r.err == err + "\n");
  };
  expect({"renumber", "--db", db, "5"},
         "error: missing argument TO for 'pgfns renumber' (usage: pgfns renumber --db DIR FROM "
         "TO)");
  expect({"renumber", "--db", db, "x", "4"},
         "error: argument FROM of 'pgfns renumber' expects a version number (1 or more), not 'x'");
  expect({"renumber", "--db", db, "5", "0"},
         "error: argument TO of 'pgfns renumber' expects a version number (1 or more), not '0'");
  expect({"renumber", "--db", db, "4", "4"}, "error: FROM and TO of 'pgfns renumber' are both 4");
  expect({"new-version"}, "error: missing required option --db DIR for 'pgfns new-version'");
  expect({"new-version", "--db", db, "5"},
         "error: unexpected argument '5' for 'pgfns new-version' (usage: pgfns new-version --db "
         "DIR)");
}

BOOST_AUTO_TEST_CASE(help_lists_and_describes_both_commands) {
  const auto all = pgfns_cli({"--help"});
  BOOST_TEST(contains(all.out, "pgfns new-version --db DIR\n"), all.out);
  BOOST_TEST(contains(all.out, "pgfns renumber --db DIR FROM TO\n"), all.out);
  const auto r = pgfns_cli({"renumber", "--help"});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.out.starts_with("usage: pgfns renumber --db DIR FROM TO\n"), r.out);
  BOOST_TEST(contains(r.out, "next free number"), r.out);
}

BOOST_AUTO_TEST_SUITE_END()

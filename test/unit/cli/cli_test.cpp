// The `pgfns` binary's contract for the schema commands, usage errors and help, checked by
// running it (PGFNS_CLI) with stdout, stderr and the exit code captured separately.
#include <pgfns/database_options.hpp>
#include <pgfns/schema.hpp>
#include <pgfns/schema_docs.hpp>

#include "run_process.hpp"
#include "schema_test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using pgfns::schema;
using pgfns::test::process_result;

namespace {

process_result pgfns_cli(std::vector<std::string> args) {
  args.insert(args.begin(), pgfns::test::env_dir("PGFNS_CLI").string());
  return pgfns::test::run_process(args);
}

fs::path example_db() {
  return pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "db";
}

// The summary line `schema check` must print for `s`, computed from the library.
std::string ok_line(const schema& s) {
  const auto& methods = s.methods();
  const auto deprecated = std::count_if(methods.begin(), methods.end(),
                                        [](const auto& m) { return m.definition.deprecated; });
  std::ostringstream line;
  line << "ok: " << s.latest_version() << " versions, " << methods.size() << " methods ("
       << deprecated << " deprecated), " << s.tables().size() << " tables, " << s.services().size()
       << " services\n";
  return line.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Every line of stderr is a warning (a successful run prints nothing else there).
bool only_warnings(const std::string& err) {
  const auto all = lines(err);
  return std::all_of(all.begin(), all.end(),
                     [](const std::string& l) { return l.starts_with("warning: "); });
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A directory of its own under the system's temporary directory, removed at the end.
class temp_dir {
 public:
  temp_dir() : path_(fs::temp_directory_path() / unique_name()) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
  const fs::path& path() const { return path_; }

 private:
  static std::string unique_name() {
    static int count = 0;
    return "pgfns-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count);
  }
  fs::path path_;
};

// An error run: exit 1, nothing on stdout, one line on stderr starting with `error: <start>`.
void check_error(const process_result& r, const std::string& start, const std::string& detail) {
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out == "");
  const auto err = lines(r.err);
  BOOST_TEST_REQUIRE(err.size() == 1u, "stderr: " << r.err);
  BOOST_TEST(err[0].starts_with("error: " + start), err[0]);
  BOOST_TEST(contains(err[0], detail), err[0]);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(schema_check)

BOOST_AUTO_TEST_CASE(taskcluster_schema_summary, *pgfns::test::needs_shared()) {
  const auto r = pgfns_cli({"schema", "check", pgfns::test::taskcluster_db().string()});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.out == "ok: 128 versions, 455 methods (254 deprecated), 35 tables, 11 services\n");
  BOOST_TEST(only_warnings(r.err), r.err);
}

BOOST_AUTO_TEST_CASE(example_schema_summary) {
  const auto r = pgfns_cli({"schema", "check", example_db().string()});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.out == ok_line(schema::from_db_directory(example_db())));
  BOOST_TEST(r.err == "");  // the example schema deserves no warning
}

// The outcomes listed in the fixtures' NOTICE.
BOOST_AUTO_TEST_CASE(taskcluster_fixtures_that_load, *pgfns::test::needs_shared()) {
  const auto simple =
      pgfns_cli({"schema", "check", pgfns::test::taskcluster_fixture("db-simple").string()});
  BOOST_TEST(simple.exit_code == 0);
  BOOST_TEST(simple.out.starts_with("ok: 2 versions, "), simple.out);
  BOOST_TEST(contains(simple.out, "(0 deprecated)"), simple.out);

  const auto depr =
      pgfns_cli({"schema", "check", pgfns::test::taskcluster_fixture("db-with-depr").string()});
  BOOST_TEST(depr.exit_code == 0);
  BOOST_TEST(depr.out.starts_with("ok: 2 versions, 1 methods (1 deprecated), "), depr.out);
}

BOOST_AUTO_TEST_CASE(taskcluster_fixtures_that_fail, *pgfns::test::needs_shared()) {
  const auto fixture = [](const char* name) {
    return pgfns_cli({"schema", "check", pgfns::test::taskcluster_fixture(name).string()});
  };
  check_error(fixture("db-with-ext-files"), "versions/0002.yml: ", "0002-list-secrets.sql");
  const auto dupes = fixture("db-with-dupes");
  check_error(dupes, "versions/", "duplicate version");
  BOOST_TEST((contains(dupes.err, "0001.yml") && contains(dupes.err, "001.yml")), dupes.err);
  const auto gaps = fixture("db-with-gaps");
  check_error(gaps, "versions: ", "version 2 is missing");
  check_error(fixture("db-with-duplicate-method-names"), "versions/0001.yml: ", "duplicate");
}

// Every fixture of this project: the CLI reports exactly what the library says, on one line.
BOOST_AUTO_TEST_CASE(own_fixtures_report_what_the_library_reports) {
  for (const auto& entry : fs::directory_iterator(pgfns::test::own_fixture(""))) {
    const std::string dir = entry.path().string();
    const auto r = pgfns_cli({"schema", "check", dir});
    try {
      const schema s = schema::from_db_directory(dir);
      BOOST_TEST(r.exit_code == 0, dir);
      BOOST_TEST(r.out == ok_line(s), dir);
      std::string warnings;
      for (const std::string& w : s.warnings()) warnings += "warning: " + w + "\n";
      BOOST_TEST(r.err == warnings, dir);
    } catch (const pgfns::schema_error& e) {
      BOOST_TEST(r.exit_code == 1, dir);
      BOOST_TEST(r.out == "", dir);
      BOOST_TEST(r.err == "error: " + std::string(e.what()) + "\n", dir);
    }
  }
}

BOOST_AUTO_TEST_CASE(nonexistent_path) {
  const temp_dir dir;
  const std::string missing = (dir.path() / "no-such-schema").string();
  const auto r = pgfns_cli({"schema", "check", missing});
  check_error(r, missing + ": ", "no such file or directory");
}

BOOST_AUTO_TEST_CASE(directory_without_a_schema) {
  const temp_dir dir;
  const auto r = pgfns_cli({"schema", "check", dir.path().string()});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(r.out == "");
  BOOST_TEST(r.err.starts_with("error: "), r.err);
  BOOST_TEST(lines(r.err).size() == 1u, r.err);
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_json_names_the_file) {
  const temp_dir dir;
  const fs::path yaml = dir.write("access.yml", "catalog:\n  tables: {}\n");
  check_error(pgfns_cli({"schema", "check", yaml.string()}), yaml.string() + ": ", "");
  const fs::path truncated = dir.write("schema.json", "{\"format\": ");
  check_error(pgfns_cli({"schema", "check", truncated.string()}), truncated.string() + ": ", "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schema_json)

BOOST_AUTO_TEST_CASE(json_of_taskcluster_checks_and_round_trips, *pgfns::test::needs_shared()) {
  const auto r = pgfns_cli({"schema", "json", pgfns::test::taskcluster_db().string()});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST_REQUIRE(r.out.ends_with("}\n"));
  const std::string text = r.out.substr(0, r.out.size() - 1);
  BOOST_TEST(text == schema::from_db_directory(pgfns::test::taskcluster_db()).to_json_text());
  BOOST_TEST(schema::from_json_text(text).to_json_text() == text);

  const temp_dir dir;
  const fs::path file = dir.write("taskcluster.json", r.out);
  const auto check = pgfns_cli({"schema", "check", file.string()});
  BOOST_TEST(check.exit_code == 0);
  BOOST_TEST(check.out ==
             "ok: 128 versions, 455 methods (254 deprecated), 35 tables, 11 services\n");
}

BOOST_AUTO_TEST_CASE(a_tampered_json_file_is_refused_naming_the_file) {
  const auto r = pgfns_cli({"schema", "json", example_db().string()});
  BOOST_TEST_REQUIRE(r.exit_code == 0);
  // Version 2 claims to be version 3: the same check as for a directory must refuse it.
  std::string tampered = r.out;
  const std::string v2 = "\"version\":2,";
  BOOST_TEST_REQUIRE(contains(tampered, v2));
  tampered.replace(tampered.find(v2), v2.size(), "\"version\":3,");
  const temp_dir dir;
  const fs::path file = dir.write("tampered.json", tampered);
  check_error(pgfns_cli({"schema", "check", file.string()}), file.string() + ": ", "");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(schema_docs)

BOOST_AUTO_TEST_CASE(docs_have_every_service_and_match_the_library, *pgfns::test::needs_shared()) {
  for (const fs::path& dir : {pgfns::test::taskcluster_db(), example_db()}) {
    const auto r = pgfns_cli({"schema", "docs", dir.string()});
    BOOST_TEST(r.exit_code == 0);
    const schema s = schema::from_db_directory(dir);
    BOOST_TEST(r.out == pgfns::schema_markdown(s));
    for (const std::string& service : s.services()) {
      BOOST_TEST(contains(r.out, "\n## Service `" + service + "`\n"), service);
    }
    // Then the tables of tables.yml and the versions.
    const auto tables_at = r.out.find("\n# Tables\n");
    BOOST_TEST_REQUIRE(tables_at != std::string::npos);
    for (const auto& t : s.tables()) {
      BOOST_TEST(r.out.find("\n## `" + t.name + "`\n\n| Column | Type |\n", tables_at) !=
                     std::string::npos,
                 t.name);
    }
    const auto versions_at = r.out.find("\n# Versions\n\n| Version | Description |\n");
    BOOST_TEST_REQUIRE(versions_at != std::string::npos);
    BOOST_TEST(versions_at > tables_at);
    for (const auto& v : s.versions()) {
      std::string number = std::to_string(v.number);
      number.insert(0, 4 - std::min<std::size_t>(number.size(), 4), '0');
      BOOST_TEST(r.out.find("\n| " + number + " | ", versions_at) != std::string::npos, number);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(usage)

BOOST_AUTO_TEST_CASE(no_arguments_prints_usage_on_stderr) {
  const auto r = pgfns_cli({});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out == "");
  BOOST_TEST(r.err.starts_with("usage: pgfns "), r.err);
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2_with_one_clear_line) {
  const auto expect = [](std::vector<std::string> args, const std::string& err) {
    const auto r = pgfns_cli(args);
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out == "");
    BOOST_TEST(r.err == err + "\n");
  };
  expect({"schema", "check", "--x", "db"}, "error: unknown option --x for 'pgfns schema check'");
  expect({"schema", "check", "--x=1", "db"}, "error: unknown option --x for 'pgfns schema check'");
  expect({"schema", "json"},
         "error: missing argument PATH for 'pgfns schema json' (usage: pgfns schema json PATH)");
  expect({"schema", "docs", "a", "b"},
         "error: unexpected argument 'b' for 'pgfns schema docs' (usage: pgfns schema docs PATH)");
  expect({"schema", "lint", "db"},
         "error: unknown command 'schema lint' (see 'pgfns schema --help')");
  expect({"frobnicate"}, "error: unknown command 'frobnicate' (see 'pgfns --help')");
  expect({"--frobnicate"}, "error: unknown option --frobnicate for 'pgfns' (see 'pgfns --help')");
  expect({"--version", "db"}, "error: 'pgfns --version' takes no arguments (see 'pgfns --help')");
}

BOOST_AUTO_TEST_CASE(a_group_without_its_command_prints_its_usage_on_stderr) {
  const auto r = pgfns_cli({"schema"});
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.out == "");
  BOOST_TEST(contains(r.err, "pgfns schema check PATH"), r.err);
}

BOOST_AUTO_TEST_CASE(help_describes_every_command) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--help"}, {"help"}, {"-h"}}) {
    const auto r = pgfns_cli(args);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.err == "");
    for (const char* command : {"schema check PATH", "schema json PATH", "schema docs PATH"}) {
      BOOST_TEST(contains(r.out, command), command);
    }
    BOOST_TEST(contains(r.out, "--version"));
  }
  const auto group = pgfns_cli({"schema", "--help"});
  BOOST_TEST(group.exit_code == 0);
  BOOST_TEST(contains(group.out, "pgfns schema docs PATH"), group.out);
}

BOOST_AUTO_TEST_CASE(command_help) {
  const auto r = pgfns_cli({"schema", "check", "--help"});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.err == "");
  BOOST_TEST(r.out.starts_with("usage: pgfns schema check PATH\n"), r.out);
  BOOST_TEST(contains(r.out, "ok: <V> versions, <M> methods (<D> deprecated), <T> tables"));
  BOOST_TEST(contains(r.out, "--help"));
  // --help skips the argument checks (an unknown option is still refused), and
  // `pgfns help <command>` prints the same text.
  BOOST_TEST(pgfns_cli({"schema", "check", "--bogus", "--help"}).exit_code == 2);
  BOOST_TEST(pgfns_cli({"schema", "check", "a", "b", "--help"}).out == r.out);
  BOOST_TEST(pgfns_cli({"help", "schema", "check"}).out == r.out);
}

// `pgfns call`'s read servers and lag bound (what they do is in integration.cli_call_test).
BOOST_AUTO_TEST_CASE(call_documents_read_servers_and_the_lag_bound) {
  const auto r = pgfns_cli({"call", "--help"});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(contains(r.out, "[--read-url URL]... [--max-replica-lag SECONDS]"), r.out);
  // The default shown is the library's.
  const auto lag = pgfns::database_options{}.max_replica_lag;
  BOOST_TEST_REQUIRE(lag.count() % 1000 == 0);
  BOOST_TEST(contains(r.out, "0: no bound (default: " + std::to_string(lag.count() / 1000) + ")"),
             r.out);
  BOOST_TEST(contains(r.out, "--verbose"), r.out);
}

BOOST_AUTO_TEST_CASE(call_refuses_a_bad_lag_bound_naming_the_option_and_the_value) {
  for (const char* bad : {"-1", "1e3", "0.0001", "soon", ""}) {
    const auto r = pgfns_cli({"call", "--db", example_db().string(), "--service", "orders",
                              "--write-url", "postgresql://u:s3cr3t@127.0.0.1:1/db",
                              "--max-replica-lag", bad, "get_product", "1"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.out == "");
    BOOST_TEST(r.err ==
                   "error: option --max-replica-lag of 'pgfns call' expects a number of seconds, "
                   "0 or more, with at most 3 decimals (e.g. 1 or 2.5), not '" +
                       std::string(bad) + "'\n",
               r.err);
  }
}

BOOST_AUTO_TEST_CASE(version) {
  const auto r = pgfns_cli({"--version"});
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.out.starts_with("pgfns "), r.out);
  BOOST_TEST(lines(r.out).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// `pgfns new-version` and `pgfns renumber`: writing the versions of a schema directory.
#include "authoring.hpp"
#include "command.hpp"

#include <charconv>
#include <ostream>

namespace pgfns::cli {
namespace {

int run_new_version(const parsed_args& args, const output& io) {
  io.out << authoring::write_new_version(*args.value("db")).string() << '\n';
  return exit_ok;
}

// A version number given on the command line: a whole number, 1 or more.
int version_argument(const std::string& text, std::string_view name) {
  int n = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, n);
  if (text.empty() || ec != std::errc() || ptr != end || n < 1) {
    throw usage_error("argument " + std::string(name) +
                      " of 'pgfns renumber' expects a version number (1 or more), not '" + text +
                      "'");
  }
  return n;
}

int run_renumber(const parsed_args& args, const output& io) {
  const int from = version_argument(args.positionals()[0], "FROM");
  const int to = version_argument(args.positionals()[1], "TO");
  if (from == to)
    throw usage_error("FROM and TO of 'pgfns renumber' are both " + std::to_string(from));
  const std::string dir = *args.value("db");
  const authoring::renumber_plan plan = authoring::renumber(dir, from, to);
  io.out << "renamed versions/" << plan.old_file << " to versions/" << plan.new_file << '\n';
  for (const authoring::file_rename& r : plan.sql) {
    io.out << "renamed versions/" << r.from << " to versions/" << r.to << '\n';
  }
  return exit_ok;
}

const option_spec db_option{.name = "db",
                            .value_name = "DIR",
                            .help = "the schema directory (versions/, access.yml, tables.yml)",
                            .required = true};

}  // namespace

const command new_version_command{
    {.name = "new-version",
     .summary = "write the next version file of a schema directory",
     .description =
         "Writes DIR/versions/NNNN.yml, numbered one after the latest version, with no methods\n"
         "and a migration and downgrade script that do nothing, commented with what to fill\n"
         "in; the directory still passes 'pgfns schema check'. Prints the path written.\n"
         "Refuses (exit 1) when DIR is not a schema directory, does not pass 'pgfns schema\n"
         "check', or the file exists.",
     .options = {db_option}},
    run_new_version};

const command renumber_command{
    {.name = "renumber",
     .summary = "renumber an unreleased version of a schema directory",
     .description =
         "Renames versions/FROM's file to TO's (NNNN.yml), rewrites its 'version:' field, and\n"
         "renames the .sql files it names whose names carry the number (0012-migration.sql\n"
         "becomes 0013-migration.sql), updating the references. Versions are contiguous from\n"
         "1, so TO must be the next free number and no gap may be left: say, after a merge\n"
         "leaves versions 1-4 and 6, 'pgfns renumber --db DIR 6 5'. Refuses (exit 1, nothing\n"
         "changed) when FROM does not exist, TO exists, TO is not the next free number, a gap\n"
         "would be left, FROM is released (releases.txt, when DIR has one, lists it), or the\n"
         "result would not pass 'pgfns schema check'. Every new name is made before any old\n"
         "name is removed, so a failure midway loses no file. Prints each rename.",
     .options = {db_option},
     .positionals = {{.name = "FROM", .help = "the version to renumber"},
                     {.name = "TO", .help = "its new number"}}},
    run_renumber};

}  // namespace pgfns::cli

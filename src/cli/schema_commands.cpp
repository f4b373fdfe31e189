// `pgfns schema check|json|docs`: load a schema (a directory or its JSON form) and report on it.
#include "command.hpp"

#include <pgfns/schema.hpp>
#include <pgfns/schema_docs.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

namespace pgfns::cli {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error(
        path + ": cannot open: " + (errno != 0 ? std::strerror(errno) : "unknown reason"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error(path + ": cannot read");
  return std::move(text).str();
}

// PATH is a schema directory, or a JSON file written by `pgfns schema json`. Errors name the
// file: relative to the directory for a directory, the JSON file's path for a JSON file.
schema load(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    throw std::runtime_error(path + ": no such file or directory");
  }
  if (ec) throw std::runtime_error(path + ": " + ec.message());
  if (fs::is_directory(status)) return schema::from_db_directory(path);
  if (!fs::is_regular_file(status)) {
    throw std::runtime_error(path + ": neither a schema directory nor a JSON file");
  }
  return schema::from_json_text(read_file(path), path);
}

schema load_and_warn(const parsed_args& args, const output& io) {
  schema s = load(args.positionals().front());
  for (const std::string& w : s.warnings()) io.err << "warning: " << w << '\n';
  return s;
}

int run_check(const parsed_args& args, const output& io) {
  const schema s = load_and_warn(args, io);
  const auto& methods = s.methods();
  const auto deprecated = std::count_if(methods.begin(), methods.end(),
                                        [](const auto& m) { return m.definition.deprecated; });
  io.out << "ok: " << s.latest_version() << " versions, " << methods.size() << " methods ("
         << deprecated << " deprecated), " << s.tables().size() << " tables, "
         << s.services().size() << " services\n";
  return exit_ok;
}

int run_json(const parsed_args& args, const output& io) {
  io.out << load_and_warn(args, io).to_json_text() << '\n';
  return exit_ok;
}

int run_docs(const parsed_args& args, const output& io) {
  io.out << methods_markdown(load_and_warn(args, io));
  return exit_ok;
}

constexpr std::string_view path_help =
    "a schema directory (versions/, access.yml, tables.yml) or a JSON file written by "
    "'pgfns schema json'";

}  // namespace

const command schema_check_command{
    {.name = "schema check",
     .summary = "validate a schema and print a one-line summary",
     .description =
         "Loads PATH and runs every load-time check. On success prints exactly one line,\n"
         "  ok: <V> versions, <M> methods (<D> deprecated), <T> tables, <S> services\n"
         "and exits 0 (M counts the distinct methods at the latest version, D those of them\n"
         "that are deprecated). Warnings go to stderr as 'warning: ...' lines. On failure\n"
         "prints 'error: <file>: <what is wrong>' on stderr and exits 1.",
     .positionals = {{.name = "PATH", .help = path_help}}},
    run_check};

const command schema_json_command{
    {.name = "schema json",
     .summary = "print a schema as one JSON document",
     .description =
         "Loads and checks PATH, then prints the schema as one JSON document on stdout (what a\n"
         "service can ship instead of the YAML tree; 'pgfns schema check' accepts it).",
     .positionals = {{.name = "PATH", .help = path_help}}},
    run_json};

const command schema_docs_command{
    {.name = "schema docs",
     .summary = "print the methods documentation as markdown",
     .description =
         "Loads and checks PATH, then prints markdown on stdout: per service, each current\n"
         "method with its mode, arguments, return type, the version that last defined it and\n"
         "its description; then the deprecated methods.",
     .positionals = {{.name = "PATH", .help = path_help}}},
    run_docs};

}  // namespace pgfns::cli

// `pgfns schema check|json|docs`: load a schema (a directory or its JSON form) and report on it.
#include "command.hpp"
#include "schema_input.hpp"

#include <pgfns/schema.hpp>
#include <pgfns/schema_docs.hpp>

#include <algorithm>
#include <ostream>

namespace pgfns::cli {
namespace {

int run_check(const parsed_args& args, const output& io) {
  const schema s = load_schema(args.positionals().front(), io);
  const auto& methods = s.methods();
  const auto deprecated = std::count_if(methods.begin(), methods.end(),
                                        [](const auto& m) { return m.definition.deprecated; });
  io.out << "ok: " << s.latest_version() << " versions, " << methods.size() << " methods ("
         << deprecated << " deprecated), " << s.tables().size() << " tables, "
         << s.services().size() << " services\n";
  return exit_ok;
}

int run_json(const parsed_args& args, const output& io) {
  io.out << load_schema(args.positionals().front(), io).to_json_text() << '\n';
  return exit_ok;
}

int run_docs(const parsed_args& args, const output& io) {
  io.out << schema_markdown(load_schema(args.positionals().front(), io));
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
     .summary = "print the documentation of a schema as markdown: methods, tables, versions",
     .description =
         "Loads and checks PATH, then prints markdown on stdout: per service, each current\n"
         "method with its mode, arguments, return type, the version that last defined it and\n"
         "its description; then the deprecated methods; then each table of tables.yml with\n"
         "its columns and their types; then a table of the versions with their descriptions.",
     .positionals = {{.name = "PATH", .help = path_help}}},
    run_docs};

}  // namespace pgfns::cli

// `pgfns generate`: the typed bindings header of one service (pgfns/codegen.hpp).
#include "command.hpp"
#include "schema_input.hpp"

#include <pgfns/codegen.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <stdexcept>
#include <system_error>

namespace pgfns::cli {
namespace {

namespace fs = std::filesystem;

// Writes `content` unless the file already holds exactly that, so that a build depending on
// the header does nothing when the schema's change leaves it as it was. The file is replaced
// at once (a temporary file renamed over it): a compiler never reads half of it.
bool write_if_changed(const fs::path& file, const std::string& content) {
  if (fs::exists(file) && read_file(file.string()) == content) return false;
  const fs::path temporary =
      file.parent_path() / ("." + file.filename().string() + "." + std::to_string(getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + temporary.string());
  }
  std::error_code ec;
  fs::rename(temporary, file, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw std::runtime_error("cannot write " + file.string() + ": " + ec.message());
  }
  return true;
}

int run_generate(const parsed_args& args, const output& io) {
  const std::string db = *args.value("db");
  const fs::path out_dir = *args.value("out");
  const codegen_options options{
      .service = *args.value("service"), .ns = *args.value("namespace"), .source = db};
  const schema s = load_schema(db, io);
  std::string header;
  try {
    header = generate_bindings(s, options);
  } catch (const std::invalid_argument& e) {
    throw usage_error(e.what());  // the service or the namespace
  }
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw std::runtime_error("cannot create " + out_dir.string() + ": " + ec.message());
  const fs::path file = out_dir / (options.service + ".hpp");
  io.out << (write_if_changed(file, header) ? "wrote " : "unchanged: ") << file.string() << '\n';
  return exit_ok;
}

}  // namespace

const command generate_command{
    {.name = "generate",
     .summary = "write the typed C++ bindings of one service",
     .description =
         "Loads the schema (a directory or a JSON file written by 'pgfns schema json') and\n"
         "writes OUT/<service>.hpp: for each of the service's methods and each read method of\n"
         "the other services, a function that takes typed arguments (std::optional<T>) and\n"
         "gives typed rows, so that the compiler checks every call; deprecated methods in a\n"
         "nested namespace `deprecated`. The file is written only when its content changes.\n"
         "Prints 'wrote <file>' or 'unchanged: <file>'. An unknown service or a namespace that\n"
         "is not a C++ name is a usage error (exit 2); a type with no C++ mapping, an OUT,\n"
         "INOUT or VARIADIC argument, or two names that would be one C++ name fail with one\n"
         "line naming the method (exit 1).",
     .options = {{.name = "db",
                  .value_name = "DIR",
                  .help = "the schema directory (or its JSON file)",
                  .required = true},
                 {.name = "service",
                  .value_name = "NAME",
                  .help = "the service the bindings are for",
                  .required = true},
                 {.name = "namespace",
                  .value_name = "NS",
                  .help = "the C++ namespace (e.g. shop or acme::db); the bindings go in "
                          "NS::<service, '-' as '_'>",
                  .required = true},
                 {.name = "out",
                  .value_name = "DIR",
                  .help = "the directory to write <service>.hpp in (created if missing)",
                  .required = true}}},
    run_generate};

}  // namespace pgfns::cli

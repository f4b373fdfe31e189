// A `pgfns` command: its syntax and the function that runs it. Each command lives in its own
// file under src/cli/ and is listed once in the table in main.cpp.
#pragma once

#include "options.hpp"

#include <iosfwd>

namespace pgfns::cli {

// Where a command writes: results on `out`, diagnostics (`warning: ...`) on `err`.
struct output {
  std::ostream& out;
  std::ostream& err;
};

// Exit codes shared by every command.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // the command ran and failed (or found problems)
inline constexpr int exit_usage = 2;    // the command line was not understood

struct command {
  command_spec spec;
  // Runs with parsed arguments (never called for --help). Returns the exit code; may throw
  // (usage_error exits 2, anything else prints `error: <what()>` and exits 1).
  int (*run)(const parsed_args& args, const output& io);
};

// The commands, each defined in its own file.
extern const command schema_check_command;  // schema_commands.cpp
extern const command schema_json_command;   // schema_commands.cpp
extern const command schema_docs_command;   // schema_commands.cpp
extern const command new_version_command;   // authoring_commands.cpp
extern const command renumber_command;      // authoring_commands.cpp
extern const command upgrade_command;       // upgrade_commands.cpp
extern const command downgrade_command;     // upgrade_commands.cpp
extern const command db_version_command;    // upgrade_commands.cpp
extern const command check_command;         // upgrade_commands.cpp
extern const command call_command;          // call_command.cpp
extern const command generate_command;      // generate_command.cpp

}  // namespace pgfns::cli

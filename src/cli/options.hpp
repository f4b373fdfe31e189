// The command-line syntax of one `pgfns` command, its parser and its help text.
// Options are long only: `--name VALUE`, `--name=VALUE`, or `--name` for a flag. A word that
// starts with a single dash (`-1`, `-`) is a positional argument; `--` ends the options, so
// everything after it is positional too. `--help` (or `-h`) is understood by every command.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::cli {

// Every member has a default, so a spec can name only the fields it needs.
struct option_spec {
  std::string_view name = {};        // without the leading "--"
  std::string_view value_name = {};  // e.g. "URL"; empty for a flag
  std::string_view help = {};
  bool required = false;
  bool repeatable = false;  // may be given several times; every value is kept in order
  // An environment variable whose value (when set and not empty) is used when the option is
  // not given, e.g. PGFNS_ADMIN_URL: it meets `required` and keeps passwords off the command
  // line. For a repeatable option it is one value.
  std::string_view env = {};
};

struct positional_spec {
  std::string_view name = {};  // e.g. "PATH"
  std::string_view help = {};
  bool required = true;
  bool variadic = false;  // takes every remaining argument (only the last positional)
};

struct command_spec {
  std::string_view name = {};         // the words after `pgfns`, e.g. "schema check"
  std::string_view summary = {};      // one line, for `pgfns --help`
  std::string_view description = {};  // a paragraph, for `pgfns <command> --help`
  std::vector<option_spec> options = {};
  std::vector<positional_spec> positionals = {};
};

// A command line that cannot be understood. The CLI prints it as `error: ...` and exits 2.
class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class parsed_args {
 public:
  // True when `pgfns <command> --help` was asked; nothing else is checked then.
  bool help() const noexcept { return help_; }

  bool flag(std::string_view name) const;
  // The value of a single-valued option, or nullopt when it was not given.
  std::optional<std::string> value(std::string_view name) const;
  // Every value of a repeatable option, in command-line order.
  std::vector<std::string> values(std::string_view name) const;
  // The value of an option given as a whole number; throws usage_error on anything else.
  std::optional<long long> integer(std::string_view name) const;
  // The value of an option given as seconds: a decimal number, 0 or more, to the millisecond
  // at most (1, 0.5, 2.250); throws usage_error on anything else (-1, 1e3, 0.0001, inf).
  std::optional<std::chrono::milliseconds> seconds(std::string_view name) const;

  const std::vector<std::string>& positionals() const noexcept { return positionals_; }

 private:
  friend parsed_args parse(const command_spec& spec, std::span<const std::string> args);
  const command_spec* spec_ = nullptr;
  bool help_ = false;
  std::map<std::string, std::vector<std::string>, std::less<>> options_;
  std::vector<std::string> positionals_;
};

// Parses the arguments that follow the command's name. Throws usage_error on an unknown
// option, a missing or unexpected value, a repeated single option, a missing required option
// and a wrong number of positional arguments.
parsed_args parse(const command_spec& spec, std::span<const std::string> args);

// The full help of a command: usage line, description, arguments and options.
std::string help_text(const command_spec& spec);

// One indented line (or more, wrapped) per positional argument and option, with its help.
std::string parameters_text(const command_spec& spec, std::size_t indent);

// The one-line synopsis, e.g. "pgfns schema check PATH".
std::string usage_line(const command_spec& spec);

}  // namespace pgfns::cli

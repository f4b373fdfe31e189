// `pgfns`: the command table and the dispatch from the command line to one command.
#include "command.hpp"

#include <pgfns/redact.hpp>

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::cli {
namespace {

// Every command, in the order `pgfns --help` lists them. Adding a command is one line here.
const command* const commands[] = {
    &schema_check_command, &schema_json_command, &schema_docs_command, &new_version_command,
    &renumber_command,     &upgrade_command,     &downgrade_command,   &db_version_command,
    &check_command,        &call_command,        &generate_command,
};

constexpr std::string_view version_text = "pgfns " PGFNS_VERSION;

// The first word of a command's name; "schema" for "schema check".
std::string_view group_of(const command& c) {
  return c.spec.name.substr(0, c.spec.name.find(' '));
}

bool is_group(std::string_view word) {
  for (const command* c : commands) {
    if (c->spec.name.size() > word.size() && group_of(*c) == word) return true;
  }
  return false;
}

// The command whose name matches the most leading words of `args`; sets `words` to their count.
const command* find_command(std::span<const std::string> args, std::size_t& words) {
  const command* best = nullptr;
  for (const command* c : commands) {
    std::string joined;
    for (std::size_t n = 0; n < args.size(); ++n) {
      joined += (n == 0 ? "" : " ") + args[n];
      if (joined == c->spec.name && (best == nullptr || n + 1 > words)) {
        best = c;
        words = n + 1;
      }
    }
  }
  return best;
}

// Lists the commands whose name starts with `group` (all when empty) with their usage lines.
std::string overview(std::string_view group) {
  std::string out = group.empty()
                        ? "usage: pgfns <command> [options] [arguments]\n\n"
                          "pgfns manages a PostgreSQL schema of stored functions declared in a "
                          "versioned directory\n(db/).\n"
                        : "usage: pgfns " + std::string(group) + " <command> ...\n";
  out += "\ncommands:\n";
  for (const command* c : commands) {
    if (!group.empty() && group_of(*c) != group) continue;
    out += "  " + usage_line(c->spec) + "\n      " + std::string(c->spec.summary) + "\n";
    out += parameters_text(c->spec, 6) + "\n";
  }
  out += "Run 'pgfns <command> --help' for the arguments and options of one command.\n";
  if (group.empty()) {
    out +=
        "\noptions:\n  --help      show this help and exit (also 'pgfns help [<command>]')\n"
        "  --version   print the version and exit\n";
  }
  return out;
}

bool is_help(std::string_view arg) {
  return arg == "--help" || arg == "-h";
}

int dispatch(std::vector<std::string> args, const output& io) {
  if (args.empty()) {
    io.err << overview("");
    return exit_usage;
  }
  if (args.front() == "help") {  // `pgfns help [<command>]` is `pgfns [<command>] --help`
    args.erase(args.begin());
    args.push_back("--help");
  }
  if (is_help(args.front()) || args.front() == "--version") {
    if (args.size() > 1) {
      throw usage_error("'pgfns " + args.front() + "' takes no arguments (see 'pgfns --help')");
    }
    io.out << (is_help(args.front()) ? overview("") : std::string(version_text) + "\n");
    return exit_ok;
  }
  std::size_t words = 0;
  const command* c = find_command(args, words);
  if (c == nullptr) {
    const std::string& first = args.front();
    if (is_group(first)) {
      if (args.size() == 1) {
        io.err << overview(first);
        return exit_usage;
      }
      if (is_help(args[1])) {
        io.out << overview(first);
        return exit_ok;
      }
      throw usage_error("unknown command '" + first + " " + args[1] + "' (see 'pgfns " + first +
                        " --help')");
    }
    if (first.starts_with("-")) {
      throw usage_error("unknown option " + first + " for 'pgfns' (see 'pgfns --help')");
    }
    throw usage_error("unknown command '" + first + "' (see 'pgfns --help')");
  }
  const parsed_args parsed = parse(c->spec, std::span(args).subspan(words));
  if (parsed.help()) {
    io.out << help_text(c->spec);
    return exit_ok;
  }
  return c->run(parsed, io);
}

// An error may quote an argument (a connection string given where a word or a number was
// expected, or split in two by the shell): no password in any argument is printed.
std::string without_passwords(std::string message, const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    message = pgfns::redact_message(message, arg);
    if (const auto eq = arg.find('='); arg.starts_with("--") && eq != std::string::npos) {
      message = pgfns::redact_message(message, std::string_view(arg).substr(eq + 1));
    }
  }
  return message;
}

// The error as the one line printed, whatever the message holds: libpq's messages may have
// several lines (say, `password retrieved from file "..."` after a failed login), which become
// "; "-separated parts; any other control character becomes a space.
std::string error_line(std::string_view message) {
  const auto is_break = [](char c) { return c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  const auto is_blank = [&](char c) { return c == ' ' || c == '\t' || is_break(c); };
  while (!message.empty() && is_blank(message.front())) message.remove_prefix(1);
  while (!message.empty() && is_blank(message.back())) message.remove_suffix(1);
  std::string out;
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (is_break(message[i])) {
      while (i + 1 < message.size() && is_blank(message[i + 1])) ++i;
      out += out.ends_with(';') ? " " : "; ";
    } else {
      const auto c = static_cast<unsigned char>(message[i]);
      out += c < 0x20 || c == 0x7f ? ' ' : message[i];
    }
  }
  return out;
}

}  // namespace
}  // namespace pgfns::cli

int main(int argc, char** argv) {
  using namespace pgfns::cli;
  const output io{std::cout, std::cerr};
  const std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  // What an error may quote: the arguments, and the URLs options may take from the environment.
  std::vector<std::string> quoted = args;
  for (const char* name : {"PGFNS_ADMIN_URL", "PGFNS_WRITE_URL", "PGFNS_READ_URL"}) {
    if (const char* v = std::getenv(name)) quoted.emplace_back(v);
  }
  int code = exit_failure;
  try {
    code = dispatch(args, io);
  } catch (const usage_error& e) {
    std::cerr << "error: " << error_line(without_passwords(e.what(), quoted)) << '\n';
    code = exit_usage;
  } catch (const std::exception& e) {
    std::cerr << "error: " << error_line(without_passwords(e.what(), quoted)) << '\n';
  } catch (...) {
    std::cerr << "error: unexpected failure (an exception of unknown type)\n";
  }
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "error: cannot write to standard output\n";
    return exit_failure;
  }
  return code;
}

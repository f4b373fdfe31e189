// Runs a program to completion and captures what it wrote on stdout and stderr, separately,
// with its exit code. Used by the tests of the `pgfns` command-line tool and of scripts.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pgfns::test {

struct process_result {
  int exit_code = -1;  // the exit status; 128 + the signal number when a signal ended it
  int signal = 0;      // the signal that ended the process, 0 when it exited
  std::string out;
  std::string err;
};

struct process_options {
  std::string input;  // written to the program's stdin (empty: stdin is /dev/null)
  // "NAME=value" entries added to (or replacing) the environment; "NAME" removes NAME.
  std::vector<std::string> env;
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};  // then killed, and this throws
};

// `argv[0]` is a path or a name looked up in PATH. Throws std::system_error when the program
// cannot be started and std::runtime_error when it outlives `timeout` (it is killed first).
process_result run_process(const std::vector<std::string>& argv,
                           const process_options& options = {});

}  // namespace pgfns::test

// The servers of the test helpers: PGFNS_TEST_DB_URL, or a throwaway cluster (pg-cluster).
#include <pgfns/testing.hpp>

#include "session.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

namespace pgfns::testing {
namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return !path.empty() && std::filesystem::is_regular_file(path, ec);
}

// Where pg-cluster is: the option, $PGFNS_PG_CLUSTER, the installed copy, the source tree's.
std::string find_script(const std::string& given) {
  if (!given.empty()) {
    if (!is_file(given)) throw std::runtime_error("pgfns::testing: no pg-cluster at " + given);
    return given;
  }
  if (auto env = env_or_empty("PGFNS_PG_CLUSTER"); !env.empty()) {
    if (!is_file(env)) {
      throw std::runtime_error("pgfns::testing: PGFNS_PG_CLUSTER names " + env +
                               ", which is not a file");
    }
    return env;
  }
  for (const char* candidate :
       {PGFNS_TESTING_INSTALLED_PG_CLUSTER, PGFNS_TESTING_SOURCE_PG_CLUSTER}) {
    if (is_file(candidate)) return candidate;
  }
  throw std::runtime_error(
      std::string("pgfns::testing: no PostgreSQL server for the tests: PGFNS_TEST_DB_URL is "
                  "unset, and pg-cluster (which starts throwaway servers) is neither at ") +
      PGFNS_TESTING_INSTALLED_PG_CLUSTER + " nor at " + PGFNS_TESTING_SOURCE_PG_CLUSTER +
      "; set PGFNS_TEST_DB_URL, or PGFNS_PG_CLUSTER to the script");
}

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

// Runs a shell command; returns its exit status and its output (stdout and stderr).
std::pair<int, std::string> run(const std::string& command) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("pgfns::testing: could not run " + command);
  std::string out;
  char buf[4096];
  while (const auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out};
}

// The KEY=VALUE lines pg-cluster writes to DIR/env (values bare or single-quoted).
std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("pgfns::testing: pg-cluster wrote no " + path);
  std::map<std::string, std::string> vars;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'') {
      value = value.substr(1, value.size() - 2);
    }
    vars[line.substr(0, eq)] = value;
  }
  return vars;
}

// A process in a session of its own (so a signal to the test's process group spares it) that waits
// until the write end of its pipe closes, which happens when the test process ends in any way,
// killed included, then stops the cluster unless test_servers stopped it first (DIR removed).
// Returns the write end (close-on-exec) or -1 when no watchdog could be started.
int start_watchdog(const std::string& script, const std::string& dir) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  // Everything the child needs is made before fork: it only reads, then execs.
  const std::string command = "[ -e " + shell_quoted(dir + "/env") + " ] && exec " +
                              shell_quoted(script) + " stop " + shell_quoted(dir) +
                              " >/dev/null 2>&1";
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    // A grandchild does the waiting, so that no child of the test process is left to reap.
    if (fork() != 0) _exit(0);
    close(fds[1]);
    setsid();
    char byte;
    while (read(fds[0], &byte, 1) != 0) {
      if (errno != EINTR) break;
    }
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return fds[1];
}

std::string new_cluster_dir() {
  static std::atomic<int> counter{0};
  return (std::filesystem::temp_directory_path() /
          ("pgfns-testing-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
      .string();
}

}  // namespace

test_servers::test_servers(servers_options options) {
  if (auto url = env_or_empty("PGFNS_TEST_DB_URL"); !url.empty()) {
    primary_ = url;
    standby_ = env_or_empty("PGFNS_TEST_READ_URL");
    return;
  }
  script_ = find_script(options.pg_cluster);
  dir_ = new_cluster_dir();
  const auto [status, output] = run(shell_quoted(script_) + " start " + shell_quoted(dir_));
  if (status != 0) {
    run(shell_quoted(script_) + " stop " + shell_quoted(dir_));
    dir_.clear();
    throw std::runtime_error("pgfns::testing: " + script_ + " start failed (exit status " +
                             std::to_string(status) + "):\n" + output);
  }
  watchdog_ = start_watchdog(script_, dir_);
  auto vars = read_env_file(dir_ + "/env");
  primary_ = vars["PGFNS_PRIMARY_URL"];
  standby_ = vars["PGFNS_STANDBY_URL"];
  if (primary_.empty()) {
    run(shell_quoted(script_) + " stop " + shell_quoted(dir_));
    dir_.clear();
    if (watchdog_ >= 0) close(watchdog_);
    throw std::runtime_error("pgfns::testing: " + script_ + " wrote no PGFNS_PRIMARY_URL");
  }
}

test_servers::~test_servers() {
  if (dir_.empty()) return;
  const auto [status, output] = run(shell_quoted(script_) + " stop " + shell_quoted(dir_));
  if (status != 0) {
    std::cerr << "pgfns::testing: could not stop the servers in " << dir_ << ":\n"
              << output << '\n';
  }
  dir_.clear();
  // The watchdog wakes up, finds the directory gone and exits.
  if (watchdog_ >= 0) close(watchdog_);
}

test_servers& test_servers::shared() {
  static test_servers servers;
  return servers;
}

void test_servers::wait_for_standby(std::chrono::milliseconds limit) const {
  if (standby_.empty()) return;
  // A transaction with an id, committed synchronously, flushes all WAL before it (commits made
  // with synchronous_commit off included), so the write position covers every commit.
  const auto target = query_value(primary_,
                                  "set synchronous_commit = on; select pg_current_xact_id(); "
                                  "select pg_current_wal_lsn()::text");
  const auto check = "select pg_last_wal_replay_lsn() >= '" + target +
                     "'::pg_lsn, coalesce(pg_last_wal_replay_lsn()::text, 'none')";
  const auto deadline = std::chrono::steady_clock::now() + limit;
  session standby(standby_);  // one connection for the whole poll
  while (true) {
    const auto rows = standby.query(check);
    if (rows.at(0).at(0) == "t") return;
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error(
          "pgfns::testing: the standby did not replay up to the primary's "
          "WAL position " +
          target + " within " + std::to_string(limit.count()) + " ms (it replayed up to " +
          rows.at(0).at(1).value_or("?") + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace pgfns::testing

#include "private_cluster.hpp"

#include "eventually.hpp"
#include "pg_test.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

namespace pgfns::test {
namespace {

std::string script() {
  const char* src = std::getenv("PGFNS_SOURCE_DIR");
  if (!src) throw std::runtime_error("PGFNS_SOURCE_DIR is not set");
  return std::string(src) + "/scripts/pg-cluster";
}

std::string shell_quoted(const std::string& s) {
  return "'" + s + "'";
}

// The processes whose parent is `pid` (from /proc/*/stat).
std::vector<int> children_of(int pid) {
  std::vector<int> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;
    const auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == pid)
      out.push_back(std::stoi(name));
  }
  return out;
}

// The env file's name of the node's data directory.
std::string data_key(std::string_view node) {
  if (node == "primary") return "PGFNS_PRIMARY_DATA";
  if (node == "standby") return "PGFNS_STANDBY_DATA";
  if (node == "standby2") return "PGFNS_STANDBY2_DATA";
  throw std::invalid_argument("unknown cluster node '" + std::string(node) +
                              "' (expected primary, standby or standby2)");
}

}  // namespace

private_cluster::private_cluster(private_cluster_options options) : standbys_(options.standbys) {
  if (standbys_ != 1 && standbys_ != 2)
    throw std::invalid_argument("a private cluster has 1 or 2 standbys, not " +
                                std::to_string(standbys_));
  static std::atomic<int> counter{0};
  dir_ = (std::filesystem::temp_directory_path() /
          ("pgfns-private-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
             .string();
  if (options.pgbouncer && options.pooler_pool_size < 1)
    throw std::invalid_argument("a pgbouncer pool has at least 1 server connection, not " +
                                std::to_string(options.pooler_pool_size));
  std::string start = "start " + shell_quoted(dir_) + " --standbys " + std::to_string(standbys_);
  if (options.pgbouncer)
    start += " --pgbouncer --pool-size " + std::to_string(options.pooler_pool_size);
  run(start);
  primary_ = env_value("PGFNS_PRIMARY_URL");
  standby_ = env_value("PGFNS_STANDBY_URL");
  if (standbys_ == 2) standby2_ = env_value("PGFNS_STANDBY2_URL");
  if (options.pgbouncer) {
    primary_pooled_ = env_value("PGFNS_PRIMARY_POOLED_URL");
    standby_pooled_ = env_value("PGFNS_STANDBY_POOLED_URL");
    if (standbys_ == 2) standby2_pooled_ = env_value("PGFNS_STANDBY2_POOLED_URL");
  }
}

private_cluster::~private_cluster() {
  try {
    while (!frozen_.empty()) thaw_node(*frozen_.begin());
    run("stop " + shell_quoted(dir_));
  } catch (...) {
  }
}

void private_cluster::stop_node(std::string_view node) {
  run_on_node("stop-node", node);
}

void private_cluster::start_node(std::string_view node) {
  run_on_node("start-node", node);
}

void private_cluster::restart_node(std::string_view node) {
  run_on_node("restart-node", node);
}

void private_cluster::promote_node(std::string_view node) {
  run_on_node("promote", node);
}

void private_cluster::pause_replay(std::string_view node) {
  run_on_node("pause-replay", node);
}

void private_cluster::resume_replay(std::string_view node) {
  run_on_node("resume-replay", node);
}

void private_cluster::wait_streaming() {
  run("wait-streaming " + shell_quoted(dir_));
}

void private_cluster::wait_replayed() const {
  // A transaction with an id, committed synchronously, flushes all WAL before it, so the
  // primary's write position then covers every commit.
  const std::string lsn = query_value(
      primary_,
      "set synchronous_commit = on; select pg_current_xact_id(); select pg_current_wal_lsn()");
  for (const std::string* url : {&standby_, &standby2_}) {
    if (url->empty()) continue;
    const bool replayed = eventually([&] {
      return query_value(*url, "select pg_last_wal_replay_lsn() >= '" + lsn + "'::pg_lsn") == "t";
    });
    if (!replayed) throw std::runtime_error(*url + " did not replay up to " + lsn + " in 20 s");
  }
}

void private_cluster::run_on_node(std::string_view command, std::string_view node) const {
  data_key(node);  // refuses an unknown name before it reaches a shell
  if (node == "standby2" && standbys_ < 2)
    throw std::invalid_argument(std::string(command) +
                                " standby2: this private cluster was started with one standby "
                                "(private_cluster_options::standbys = 2 adds it)");
  run(std::string(command) + " " + shell_quoted(dir_) + " " + std::string(node));
}

int private_cluster::postmaster_pid(std::string_view node) const {
  const std::string data = env_value(data_key(node));
  std::ifstream in(data + "/postmaster.pid");
  int pid = 0;
  if (!(in >> pid) || pid <= 0)
    throw std::runtime_error(std::string(node) + " is not running (no " + data +
                             "/postmaster.pid)");
  return pid;
}

void private_cluster::freeze_node(std::string_view node) {
  const int pid = postmaster_pid(node);
  frozen_.emplace(node);
  if (::kill(pid, SIGSTOP) != 0)
    throw std::runtime_error("could not stop the " + std::string(node));
  // The postmaster forks no more; a second pass catches a child forked just before the stop.
  for (int pass = 0; pass < 2; ++pass)
    for (int child : children_of(pid)) ::kill(child, SIGSTOP);
}

void private_cluster::thaw_node(std::string_view node) {
  const int pid = postmaster_pid(node);
  for (int child : children_of(pid)) ::kill(child, SIGCONT);
  ::kill(pid, SIGCONT);
  if (auto it = frozen_.find(node); it != frozen_.end()) frozen_.erase(it);
}

// The script's own message is on stderr (the test log); the exception says which command failed.
void private_cluster::run(const std::string& args) const {
  const std::string command = shell_quoted(script()) + " " + args + " >/dev/null";
  const int status = std::system(command.c_str());
  if (status == 0) return;
  const std::string how = status > 0 && WIFEXITED(status)
                              ? "exit status " + std::to_string(WEXITSTATUS(status))
                              : "status " + std::to_string(status);
  throw std::runtime_error("scripts/pg-cluster " + args + " failed (" + how +
                           "; its message is in the test log)");
}

// The value of NAME in DIR/env, as the shell reads it.
std::string private_cluster::env_value(const std::string& name) const {
  const std::string command =
      "bash -c '. \"$0\"/env && printf %s \"$" + name + "\"' " + shell_quoted(dir_);
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("could not read " + dir_ + "/env");
  std::string out;
  char buf[256];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
  if (out.empty()) throw std::runtime_error(name + " is not set in " + dir_ + "/env");
  return out;
}

}  // namespace pgfns::test

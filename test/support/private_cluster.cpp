#include "private_cluster.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>

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

}  // namespace

private_cluster::private_cluster() {
  static std::atomic<int> counter{0};
  dir_ = (std::filesystem::temp_directory_path() /
          ("pgfns-private-" + std::to_string(getpid()) + "-" + std::to_string(counter++)))
             .string();
  run("start " + shell_quoted(dir_));
  primary_ = env_value("PGFNS_PRIMARY_URL");
  standby_ = env_value("PGFNS_STANDBY_URL");
}

private_cluster::~private_cluster() {
  try {
    run("stop " + shell_quoted(dir_));
  } catch (...) {
  }
}

void private_cluster::stop_node(std::string_view node) {
  run("stop-node " + shell_quoted(dir_) + " " + std::string(node));
}

void private_cluster::start_node(std::string_view node) {
  run("start-node " + shell_quoted(dir_) + " " + std::string(node));
}

void private_cluster::restart_node(std::string_view node) {
  run("restart-node " + shell_quoted(dir_) + " " + std::string(node));
}

void private_cluster::wait_streaming() {
  run("wait-streaming " + shell_quoted(dir_));
}

void private_cluster::run(const std::string& args) const {
  const std::string command = shell_quoted(script()) + " " + args + " >/dev/null";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("scripts/pg-cluster " + args + " failed");
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

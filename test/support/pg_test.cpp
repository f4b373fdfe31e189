#include "pg_test.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

namespace pgfns::test {
namespace {

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// Reads the KEY=VALUE lines scripts/lib/env-file.sh writes (values bare or single-quoted).
std::map<std::string, std::string> read_env_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error(
        "no PostgreSQL server for the integration tests: " + path +
        " does not exist, so the cluster.start fixture did not run or failed (run the tests "
        "through ctest, e.g. `ctest --test-dir BUILD -R NAME`, which runs the fixture too)");
  }
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

server_urls find_server() {
  if (auto url = env_or_empty("PGFNS_TEST_DB_URL"); !url.empty()) {
    return {url, env_or_empty("PGFNS_TEST_READ_URL"), env_or_empty("PGFNS_TEST_POOLED_DB_URL"),
            env_or_empty("PGFNS_TEST_POOLED_READ_URL")};
  }
  const auto dir = env_or_empty("PGFNS_TEST_CLUSTER_DIR");
  if (dir.empty()) {
    throw std::runtime_error(
        "no PostgreSQL server for the integration tests: set PGFNS_TEST_DB_URL to a server's "
        "URL, or run the tests through ctest, whose cluster.start fixture starts a throwaway "
        "cluster and sets PGFNS_TEST_CLUSTER_DIR");
  }
  const auto path = dir + "/env";
  auto vars = read_env_file(path);
  if (vars["PGFNS_PRIMARY_URL"].empty()) {
    throw std::runtime_error(path + ": PGFNS_PRIMARY_URL is missing or empty");
  }
  return {vars["PGFNS_PRIMARY_URL"], vars["PGFNS_STANDBY_URL"], vars["PGFNS_PRIMARY_POOLED_URL"],
          vars["PGFNS_STANDBY_POOLED_URL"]};
}

// Lowercase letters, digits and '_' only, at most 24 characters.
std::string identifier_part(std::string_view label) {
  std::string out;
  for (unsigned char ch : label.substr(0, 24)) {
    out += std::isalnum(ch) ? static_cast<char>(std::tolower(ch)) : '_';
  }
  return out.empty() ? "t" : out;
}

}  // namespace

const server_urls& server() {
  static const server_urls urls = find_server();
  return urls;
}

bool has_standby() {
  return !server().standby.empty();
}

bool has_pooler() {
  return !server().primary_pooled.empty();
}

testing::test_servers& shared_servers() {
  // test_servers::shared() reads PGFNS_TEST_DB_URL once, on first use: point it at server().
  static testing::test_servers& servers = []() -> testing::test_servers& {
    if (!std::getenv("PGFNS_TEST_DB_URL")) {
      ::setenv("PGFNS_TEST_DB_URL", server().primary.c_str(), 1);
      ::setenv("PGFNS_TEST_READ_URL", server().standby.c_str(), 1);
    }
    return testing::test_servers::shared();
  }();
  return servers;
}

scratch_database::scratch_database(std::string_view label) {
  static std::atomic<unsigned> counter{0};
  const auto prefix = "pgfns_" + identifier_part(label) + "_" + std::to_string(getpid()) + "_";
  // A database left behind by an earlier run whose process had the same id is never reused
  // (nor dropped: it may belong to another machine sharing PGFNS_TEST_DB_URL).
  for (int attempt = 0;; ++attempt) {
    name_ = prefix + std::to_string(counter++);
    try {
      query(server().primary, "create database \"" + name_ + "\"");
      break;
    } catch (const sql_error& e) {
      if (e.sqlstate() != "42P04" || attempt == 99) throw;  // 42P04: duplicate_database
    }
  }
  try {
    wait_for_standby();  // so that read_url() works at once
  } catch (...) {
    drop();
    throw;
  }
}

scratch_database::~scratch_database() {
  drop();
}

void scratch_database::drop() const noexcept {
  try {
    query(server().primary, "drop database if exists \"" + name_ + "\" with (force)");
  } catch (const std::exception& e) {
    std::cerr << "warning: could not drop scratch database " << name_ << ": " << e.what() << '\n';
  }
}

std::string scratch_database::write_url() const {
  return url_with_database(server().primary, name_);
}

std::string scratch_database::read_url() const {
  return url_with_database(has_standby() ? server().standby : server().primary, name_);
}

std::string scratch_database::pooled_write_url() const {
  if (!has_pooler()) {
    throw std::runtime_error(
        "no pgbouncer in front of the test servers: install it (scripts/setup) and rerun "
        "through ctest, or set PGFNS_TEST_POOLED_DB_URL with PGFNS_TEST_DB_URL");
  }
  return url_with_database(server().primary_pooled, name_);
}

std::string scratch_database::pooled_read_url() const {
  const auto& standby = server().standby_pooled;
  return standby.empty() ? pooled_write_url() : url_with_database(standby, name_);
}

void scratch_database::exec(const std::string& sql) const {
  query(write_url(), sql);
}

void scratch_database::wait_for_standby() const {
  shared_servers().wait_for_standby(std::chrono::seconds(10));
}

}  // namespace pgfns::test

// Paths the schema tests read: the shared Taskcluster schema and fixtures, and this project's
// own fixtures. Both come from the environment set by test/CMakeLists.txt.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace pgfns::test {

inline std::filesystem::path env_dir(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(std::string(name) + " is not set (run the tests through ctest)");
  }
  return value;
}

inline std::filesystem::path taskcluster_db() {
  return env_dir("PGFNS_SHARED_DIR") / "taskcluster-db";
}
inline std::filesystem::path taskcluster_fixture(const std::string& name) {
  return env_dir("PGFNS_SHARED_DIR") / "taskcluster-fixtures" / name;
}
inline std::filesystem::path own_fixture(const std::string& name) {
  return env_dir("PGFNS_SOURCE_DIR") / "test" / "fixtures" / name;
}

}  // namespace pgfns::test

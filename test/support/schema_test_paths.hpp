// Paths the schema tests read: the shared Taskcluster schema and fixtures (../shared beside the
// clone), and this project's own fixtures. Both come from the environment set by
// test/CMakeLists.txt.
//
// ../shared is not part of the repository: a clone without it still passes, and every test
// that reads it is skipped with a message saying so (decorate it with needs_shared()). CI has
// it, and `scripts/test --full` refuses to run without it.
#pragma once

#include <boost/test/unit_test.hpp>

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

// This project's own schema, db/.
inline std::filesystem::path shop_db() {
  return env_dir("PGFNS_SOURCE_DIR") / "db";
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

// Whether the shared Taskcluster schema and fixtures are there; the message says what is
// missing when they are not.
inline boost::test_tools::assertion_result shared_present(boost::unit_test::test_unit_id) {
  const auto dir = env_dir("PGFNS_SHARED_DIR");
  boost::test_tools::assertion_result r =
      std::filesystem::is_directory(dir / "taskcluster-db") &&
      std::filesystem::is_directory(dir / "taskcluster-fixtures");
  if (!r) {
    r.message() << "it reads the shared Taskcluster schema and fixtures, and " << dir.string()
                << " does not hold them (they sit beside the clone, as ../shared)";
  }
  return r;
}

// Decorator for a test case or suite that reads ../shared.
inline boost::unit_test::decorator::precondition needs_shared() {
  return boost::unit_test::precondition(shared_present);
}

}  // namespace pgfns::test

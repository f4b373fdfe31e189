// Fuzzes schema::from_db_directory. An input is a small schema directory written as sections,
// each a line "=== NAME" followed by the file's bytes up to the next such line:
//
//   === versions/0001.yml
//   version: 1
//   ...
//   === access.yml
//   {}
//
// NAME is access.yml, tables.yml or versions/<name> (letters, digits, '.', '_', '-'); other
// sections are ignored, so the fuzzer explores odd file names, missing and extra files too.
// The files are written into a per-process scratch directory, emptied before every input.
// The only allowed failure is schema_error; a schema that loads must pass check_loaded().
#include "fuzz_support.hpp"
#include "schema_checks.hpp"

#include <pgfns/schema.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

namespace fs = std::filesystem;

namespace {

constexpr std::string_view header = "=== ";
constexpr std::size_t max_files = 32;

bool is_file_name(std::string_view name) {
  if (name.empty() || name.size() > 40 || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

bool is_schema_path(std::string_view path) {
  if (path == "access.yml" || path == "tables.yml") return true;
  return path.starts_with("versions/") && is_file_name(path.substr(9));
}

// Path -> content; a later section with the same path replaces the earlier one.
std::map<std::string, std::string_view> split_files(std::string_view input) {
  std::map<std::string, std::string_view> files;
  std::size_t pos = input.starts_with(header) ? 0 : input.find("\n" + std::string(header));
  if (pos != 0 && pos != std::string_view::npos) ++pos;
  while (pos != std::string_view::npos && files.size() < max_files) {
    const std::size_t name_start = pos + header.size();
    const std::size_t name_end = std::min(input.find('\n', name_start), input.size());
    const std::string_view name = input.substr(name_start, name_end - name_start);
    const std::size_t body = std::min(name_end + 1, input.size());
    std::size_t next = input.find("\n" + std::string(header), name_end);
    const std::size_t body_end = next == std::string_view::npos ? input.size() : next + 1;
    if (is_schema_path(name)) files[std::string(name)] = input.substr(body, body_end - body);
    pos = next == std::string_view::npos ? next : next + 1;
  }
  return files;
}

// The scratch directory, removed when the fuzzer exits normally.
class scratch_dir {
 public:
  scratch_dir() {
    const char* base = std::getenv("PGFNS_FUZZ_TMPDIR");
    fs::path dir = base && *base                  ? fs::path(base)
                   : fs::is_directory("/dev/shm") ? fs::path("/dev/shm")
                                                  : fs::temp_directory_path();
    root_ = dir / ("pgfns-fuzz-schema-" + std::to_string(::getpid()));
  }
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  const fs::path& root() const { return root_; }

  void write(const std::map<std::string, std::string_view>& files) const {
    fs::remove_all(root_);
    fs::create_directories(root_ / "versions");
    for (const auto& [path, content] : files) {
      std::ofstream out(root_ / path, std::ios::binary);
      out.write(content.data(), static_cast<std::streamsize>(content.size()));
      if (!out) pgfns::fuzz::finding("cannot write the scratch file", (root_ / path).string());
    }
  }

 private:
  fs::path root_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const scratch_dir dir;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  dir.write(split_files(input));
  try {
    const pgfns::schema s = pgfns::schema::from_db_directory(dir.root());
    pgfns::fuzz::check_loaded(s);
  } catch (const pgfns::schema_error& e) {
    // The documented outcome for a bad schema. It names a file of the schema: the directory
    // itself is named only when something other than a check failed (from_db_directory turns
    // any exception into a schema_error), and the directory is always there.
    pgfns::fuzz::check_error(e);
    pgfns::fuzz::require(e.file() != dir.root().string(),
                         "from_db_directory failed for a reason other than a check", e.what());
  } catch (const std::exception& e) {
    pgfns::fuzz::finding("from_db_directory threw something other than schema_error", e.what());
  }
  return 0;
}

#include "schema_input.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace pgfns::cli {

std::string read_file(const std::string& path) {
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error(
        path + ": cannot open: " + (errno != 0 ? std::strerror(errno) : "unknown reason"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error(path + ": cannot read");
  return std::move(text).str();
}

namespace {

namespace fs = std::filesystem;

// PATH is a schema directory, or a JSON file written by `pgfns schema json`. Errors name the
// file: relative to the directory for a directory, the JSON file's path for a JSON file.
schema load(const std::string& path) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found) {
    throw std::runtime_error(path + ": no such file or directory");
  }
  if (ec) throw std::runtime_error(path + ": " + ec.message());
  if (fs::is_directory(status)) return schema::from_db_directory(path);
  if (!fs::is_regular_file(status)) {
    throw std::runtime_error(path + ": neither a schema directory nor a JSON file");
  }
  return schema::from_json_text(read_file(path), path);
}

}  // namespace

schema load_schema(const std::string& path, const output& io) {
  schema s = load(path);
  for (const std::string& w : s.warnings()) io.err << "warning: " << w << '\n';
  return s;
}

}  // namespace pgfns::cli

// `pgfns new-version`, and what it shares with `pgfns renumber` (authoring_files.hpp).
#include "authoring.hpp"
#include "authoring_files.hpp"

#include <pgfns/schema.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace pgfns::cli::authoring {
namespace fs = std::filesystem;
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

namespace detail {

std::optional<int> parse_number(std::string_view digits) {
  int n = 0;
  if (!all_digits(digits) || digits.size() > 9) return std::nullopt;
  std::from_chars(digits.data(), digits.data() + digits.size(), n);
  return n;
}

std::string padded(int number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return digits;
}

std::string in_versions(std::string_view name) {
  return "versions/" + std::string(name);
}

std::string read_whole(const fs::path& file) {
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string() + ": " +
                             (errno != 0 ? std::strerror(errno) : "unknown reason"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read " + file.string());
  return std::move(text).str();
}

void create_exclusive(const fs::path& file, const std::string& text) {
  std::FILE* f = std::fopen(file.c_str(), "wx");
  if (f == nullptr) {
    if (errno == EEXIST) throw std::runtime_error(file.string() + " already exists");
    throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(errno));
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !written) {
    std::error_code ignored;
    fs::remove(file, ignored);
    throw std::runtime_error("cannot write " + file.string() + ": " +
                             std::strerror(written ? errno : saved));
  }
}

void require_schema_dir(const fs::path& dir) {
  std::error_code ec;
  const fs::file_status status = fs::status(dir, ec);
  if (status.type() == fs::file_type::not_found) {
    throw std::runtime_error(dir.string() + ": no such directory");
  }
  if (!fs::is_directory(status)) throw std::runtime_error(dir.string() + " is not a directory");
  if (!fs::is_directory(dir / "versions", ec)) {
    throw std::runtime_error(dir.string() +
                             " is not a schema directory: it has no versions/ directory");
  }
}

}  // namespace detail

using namespace detail;

std::string version_file_name(int number) {
  return padded(number) + ".yml";
}

std::optional<int> version_file_number(std::string_view file_name) {
  if (!file_name.ends_with(".yml")) return std::nullopt;
  return parse_number(file_name.substr(0, file_name.size() - 4));
}

std::string new_version_text(int number) {
  const std::string n = std::to_string(number);
  const std::string sql = padded(number);
  return "# Version " + n +
         " of the schema. Say what it changes in `description`; write the migration and the\n"
         "# downgrade that undoes it as PL/pgSQL blocks (begin ... end), inline or in a .sql file "
         "of\n"
         "# versions/ named on one line (migrationScript: " +
         sql +
         "-migration.sql); define new or changed\n"
         "# methods under `methods`, e.g.\n"
         "#\n"
         "# methods:\n"
         "#   get_widget:\n"
         "#     description: the widget with this name\n"
         "#     mode: read\n"
         "#     serviceName: my_service\n"
         "#     args: name_in text\n"
         "#     returns: table (name text)\n"
         "#     body: |-\n"
         "#       begin\n"
         "#         return query select widgets.name from widgets where widgets.name = name_in;\n"
         "#       end\n"
         "version: " +
         n +
         "\n"
         "description: TODO say what version " +
         n +
         " changes\n"
         "migrationScript: |-\n"
         "  begin\n"
         "  end\n"
         "downgradeScript: |-\n"
         "  begin\n"
         "  end\n"
         "methods: {}\n";
}

fs::path write_new_version(const fs::path& dir) {
  require_schema_dir(dir);
  int latest = 0;
  try {
    latest = schema::from_db_directory(dir).latest_version();
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot add a version to " + dir.string() +
                             ": it does not pass 'pgfns schema check': " + e.what());
  }
  const fs::path file = dir / "versions" / version_file_name(latest + 1);
  create_exclusive(file, new_version_text(latest + 1));
  try {
    (void)schema::from_db_directory(dir);
  } catch (const std::exception& e) {
    std::error_code ignored;
    fs::remove(file, ignored);
    throw std::runtime_error("the new " + file.string() +
                             " did not pass 'pgfns schema check', so it was removed: " + e.what());
  }
  return file;
}

}  // namespace pgfns::cli::authoring

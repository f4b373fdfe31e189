// schema::from_db_directory: the files of a schema directory -> raw schema -> checked schema.
// Version numbers come from the file names and are checked before any file is parsed.
#include <pgfns/schema.hpp>

#include "schema/yaml/schema_yaml.hpp"
#include "schema/yaml/text_check.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <new>
#include <set>

namespace pgfns {
namespace fs = std::filesystem;
namespace {

// Besides NNNN.yml and the .sql files they name, versions/ may hold this file: Taskcluster's
// schema keeps its table of versions there.
constexpr std::string_view versions_readme = "README.md";
constexpr std::string_view versions_holds =
    "versions/ holds only NNNN.yml files, the .sql files they name and README.md";

[[noreturn]] void fail(const std::string& file, std::string message) {
  throw schema_error(file, "", std::move(message));
}

// Reads a whole file that must be text; `relative` names it in errors.
std::string read_text(const fs::path& path, const std::string& relative) {
  std::ifstream in(path, std::ios::binary);
  std::string text;
  if (in) {
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size > 0) {
      text.resize(static_cast<std::size_t>(size));
      in.read(text.data(), size);
    }
  }
  if (!in) fail(relative, std::string("cannot be read: ") + std::strerror(errno));
  if (auto problem = detail::text_problem(text)) fail(relative, std::move(*problem));
  return text;
}

struct version_files {
  std::vector<detail::numbered_source> numbers;  // one per NNNN.yml
  std::set<std::string> sql;                     // names of the .sql files
};

// NNNN.yml -> NNNN, or -1 when the name is not a version file name.
int version_file_number(std::string_view name) {
  if (!name.ends_with(".yml")) return -1;
  const std::string_view stem = name.substr(0, name.size() - 4);
  if (stem.empty() || stem.size() > 9) return -1;
  int n = 0;
  for (char c : stem) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

version_files list_versions(const fs::path& dir) {
  std::error_code ec;
  const auto status = fs::status(dir, ec);
  if (!fs::exists(status)) fail("versions", "directory is missing");
  if (!fs::is_directory(status)) fail("versions", "is not a directory");
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  if (ec) fail("versions", "cannot be listed: " + ec.message());
  std::sort(names.begin(), names.end());

  version_files out;
  for (const std::string& name : names) {
    const std::string relative = "versions/" + name;
    const auto st = fs::status(dir / name, ec);
    if (fs::is_directory(st)) fail(relative, "is a directory; " + std::string(versions_holds));
    if (name.starts_with('.')) fail(relative, "hidden file; " + std::string(versions_holds));
    if (!fs::is_regular_file(st)) fail(relative, "is not a regular file");
    if (const int number = version_file_number(name); number >= 0) {
      out.numbers.push_back({number, name, relative, ""});
    } else if (name.ends_with(".yaml")) {
      fail(relative, "version files end in .yml, not .yaml (rename it to NNNN.yml)");
    } else if (name.ends_with(".yml")) {
      fail(relative, "is not a version file name: expected NNNN.yml, e.g. 0001.yml");
    } else if (name.ends_with(".sql")) {
      out.sql.insert(name);
    } else if (name != versions_readme) {
      fail(relative, "unexpected file; " + std::string(versions_holds));
    }
  }
  if (out.numbers.empty()) fail("versions", "contains no version files (expected 0001.yml)");
  detail::check_version_numbers(out.numbers, "versions", "");
  return out;
}

// Resolves scripts and bodies to their text, remembering which .sql files were named.
class script_files {
 public:
  script_files(fs::path dir, const std::set<std::string>& sql) : dir_(std::move(dir)), sql_(sql) {}

  std::string operator()(const detail::location& where, const std::string& field,
                         std::string written) {
    if (written.empty() || written.find('\n') != std::string::npos) return written;  // inline
    if (written.find('/') != std::string::npos || written.find("..") != std::string::npos) {
      where.fail(field, "names \"" + written + "\", which is outside versions/ (a one-line value " +
                            "names a .sql file in versions/)");
    }
    if (!written.ends_with(".sql")) {
      where.fail(field, "is a single line, so it names a file in versions/, but \"" + written +
                            "\" is not a .sql file name (inline SQL contains a newline: use a "
                            "|- block)");
    }
    if (!sql_.count(written)) {
      where.fail(field, "names versions/" + written + ", which does not exist");
    }
    used_.insert(written);
    return read_text(dir_ / written, "versions/" + written);
  }

  // Every .sql file in versions/ must be named by some script or body.
  void check_all_used() const {
    for (const std::string& name : sql_) {
      if (!used_.count(name)) {
        fail("versions/" + name, "is not named by any migrationScript, downgradeScript or body");
      }
    }
  }

 private:
  fs::path dir_;
  const std::set<std::string>& sql_;
  std::set<std::string> used_;
};

std::string read_top_file(const fs::path& dir, const std::string& name, const char* empty_hint) {
  std::error_code ec;
  const auto status = fs::status(dir / name, ec);
  if (!fs::exists(status)) fail(name, std::string("is missing (") + empty_hint + ")");
  if (!fs::is_regular_file(status)) fail(name, "is not a regular file");
  return read_text(dir / name, name);
}

detail::raw_schema read_directory(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    fail(dir.string(), "is not a schema directory (no such directory)");
  detail::raw_schema raw;
  raw.versions_where = {"versions", ""};
  const fs::path versions_dir = dir / "versions";
  version_files files = list_versions(versions_dir);
  std::sort(files.numbers.begin(), files.numbers.end(),
            [](const auto& a, const auto& b) { return a.number < b.number; });

  script_files scripts(versions_dir, files.sql);
  const detail::script_resolver resolve = std::ref(scripts);
  raw.versions.reserve(files.numbers.size());
  for (const auto& f : files.numbers) {
    const std::string text = read_text(versions_dir / f.label, f.file);
    raw.versions.push_back(detail::parse_version_yaml(f.file, text, f.number, resolve));
  }
  scripts.check_all_used();

  detail::parse_access_yaml(
      "access.yml", read_top_file(dir, "access.yml", "write {} when no service has table access"),
      raw);
  detail::parse_tables_yaml(
      "tables.yml", read_top_file(dir, "tables.yml", "write {} when there are no tables"), raw);
  return raw;
}

}  // namespace

schema schema::from_db_directory(const fs::path& dir) {
  detail::raw_schema raw;
  try {
    raw = read_directory(dir);
  } catch (const schema_error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {  // e.g. a filesystem error: still a schema_error
    throw schema_error(dir.string(), "", std::string("cannot be read: ") + e.what());
  }
  return schema_builder::build(std::move(raw));
}

}  // namespace pgfns

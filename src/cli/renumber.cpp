// `pgfns renumber`: the plan (authoring.hpp's plan_renumber, pure) and carrying it out in a
// schema directory, checked on a copy first.
#include "authoring.hpp"
#include "authoring_files.hpp"

#include <pgfns/schema.hpp>

#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace pgfns::cli::authoring {
namespace fs = std::filesystem;
using namespace detail;
namespace {

// The lines of `text`, each with its line break (the last one may have none).
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size() - 1) + 1;
    out.push_back(text.substr(start, end - start));
    start = end;
  }
  return out;
}

// A line without its line break ("\n" or "\r\n"), and that break.
std::pair<std::string, std::string> without_break(const std::string& line) {
  std::size_t body = line.size();
  if (body > 0 && line[body - 1] == '\n') --body;
  if (body > 0 && line[body - 1] == '\r') --body;
  return {line.substr(0, body), line.substr(body)};
}

// `version: 12` at the top level (unindented), possibly quoted, possibly with a comment.
const std::regex version_line(R"(^version([ \t]*:[ \t]*)(['"]?)([0-9]+)\2([ \t]*(#.*)?)$)");
// A script or body written on one line: it names a file in versions/.
const std::regex file_reference(
    R"(^([ \t]*(migrationScript|downgradeScript|body)[ \t]*:[ \t]*)(['"]?)([^\s'"#|>&*!%@`]+)\3([ \t]*(#.*)?)$)");

// The new name of a file named by version `from` when its name starts with that number
// (0012-migration.sql, 12-migration.sql); nullopt when it does not carry the number.
std::optional<std::string> renamed(std::string_view name, int from, int to) {
  const std::size_t digits = std::min(name.find_first_not_of("0123456789"), name.size());
  if (digits == 0 || digits == name.size()) return std::nullopt;
  if (parse_number(name.substr(0, digits)) != from) return std::nullopt;
  return padded(to) + std::string(name.substr(digits));
}

// A fresh directory under the system's temporary directory, removed with everything in it.
class scratch_dir {
 public:
  scratch_dir() {
    std::random_device random;
    path_ = fs::temp_directory_path() /
            ("pgfns-renumber-" + std::to_string(::getpid()) + "-" + std::to_string(random()));
    fs::create_directories(path_);
  }
  ~scratch_dir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Makes `to` another name of `from`; fails when `to` exists (link(2) never replaces a file).
void link_new_name(const fs::path& from, const fs::path& to) {
  if (::link(from.c_str(), to.c_str()) != 0) {
    throw std::runtime_error("cannot create " + to.string() + " (as a new name of " +
                             from.string() + "): " + std::strerror(errno));
  }
}

}  // namespace

renumber_plan plan_renumber(const std::vector<version_file>& versions,
                            const std::set<std::string>& names_in_versions, int from, int to,
                            std::optional<int> released) {
  if (from < 1 || to < 1) throw std::runtime_error("version numbers start at 1");
  if (from == to) throw std::runtime_error("FROM and TO are both " + std::to_string(from));
  std::map<int, const version_file*> by_number;
  for (const version_file& v : versions) {
    const auto [it, added] = by_number.emplace(v.number, &v);
    if (!added) {
      throw std::runtime_error("versions/ has two files for version " + std::to_string(v.number) +
                               ": " + it->second->name + " and " + v.name);
    }
  }
  const auto source = by_number.find(from);
  if (source == by_number.end()) {
    throw std::runtime_error("there is no version " + std::to_string(from) +
                             " to renumber: versions/ has no " + version_file_name(from));
  }
  if (const auto taken = by_number.find(to); taken != by_number.end()) {
    throw std::runtime_error("version " + std::to_string(to) +
                             " exists already: " + in_versions(taken->second->name));
  }
  if (released && from <= *released) {
    throw std::runtime_error("version " + std::to_string(from) +
                             " is released (releases.txt lists database version " +
                             std::to_string(*released) +
                             "): a released version is never renumbered; add a new version "
                             "instead");
  }
  int next_free = 1;
  while (by_number.contains(next_free)) ++next_free;
  if (to != next_free) {
    throw std::runtime_error(std::to_string(to) +
                             " is not the next free version number: versions are contiguous "
                             "from 1, so a version can only move to " +
                             std::to_string(next_free));
  }
  std::set<int> after;
  for (const auto& [number, file] : by_number) after.insert(number == from ? to : number);
  for (int n = 1; n <= *after.rbegin(); ++n) {
    if (!after.contains(n)) {
      throw std::runtime_error("renumbering version " + std::to_string(from) + " to " +
                               std::to_string(to) + " would leave a gap: version " +
                               std::to_string(n) +
                               " would be missing (versions are contiguous from 1)");
    }
  }

  const version_file& file = *source->second;
  renumber_plan plan{.old_file = file.name, .new_file = version_file_name(to)};
  if (names_in_versions.contains(plan.new_file)) {
    throw std::runtime_error("cannot renumber to " + in_versions(plan.new_file) +
                             ": a file of that name exists");
  }
  int version_lines = 0;
  std::set<std::string> to_rename;
  for (const std::string& line : split_lines(file.text)) {
    const auto [body, eol] = without_break(line);
    std::smatch m;
    if (std::regex_match(body, m, version_line)) {
      ++version_lines;
      if (parse_number(m[3].str()) != from) {
        throw std::runtime_error(in_versions(file.name) + ": its version field is " + m[3].str() +
                                 ", not " + std::to_string(from));
      }
      plan.new_text +=
          "version" + m[1].str() + m[2].str() + std::to_string(to) + m[2].str() + m[4].str() + eol;
    } else if (std::regex_match(body, m, file_reference) && m[4].str().ends_with(".sql") &&
               renamed(m[4].str(), from, to)) {
      const std::string name = m[4].str();
      const std::string new_name = *renamed(name, from, to);
      plan.new_text += m[1].str() + m[3].str() + new_name + m[3].str() + m[5].str() + eol;
      if (to_rename.insert(name).second) plan.sql.push_back({name, new_name});
    } else {
      plan.new_text += line;
    }
  }
  if (version_lines != 1) {
    throw std::runtime_error(
        in_versions(file.name) + ": " +
        (version_lines == 0 ? std::string("no") : std::to_string(version_lines)) +
        " top-level 'version: " + std::to_string(from) + "' lines; renumber it by hand");
  }
  for (const file_rename& r : plan.sql) {
    if (!names_in_versions.contains(r.from)) {
      throw std::runtime_error(in_versions(file.name) + " names " + in_versions(r.from) +
                               ", which does not exist");
    }
    if (names_in_versions.contains(r.to)) {
      throw std::runtime_error("cannot rename " + in_versions(r.from) + " to " + in_versions(r.to) +
                               ": a file of that name exists");
    }
    for (const version_file& other : versions) {
      if (&other != &file && other.text.find(r.from) != std::string::npos) {
        throw std::runtime_error(in_versions(r.from) + " is named by " + in_versions(other.name) +
                                 " too, so it cannot be renamed with version " +
                                 std::to_string(from));
      }
    }
  }
  return plan;
}

std::optional<int> last_released_version(std::string_view releases_text) {
  std::optional<int> last;
  std::istringstream in{std::string(releases_text)};
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto colon = line.rfind(':');
    std::string value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
    value.erase(0, std::min(value.find_first_not_of(" \t"), value.size()));
    value.erase(std::min(value.find_last_not_of(" \t\r") + 1, value.size()));
    const std::optional<int> v = parse_number(value);
    if (!v) {
      throw std::runtime_error("releases.txt: line " + std::to_string(number) +
                               ": expected '<release>: <database version>'");
    }
    last = std::max(last.value_or(0), *v);
  }
  return last;
}

renumber_plan renumber(const fs::path& dir, int from, int to) {
  require_schema_dir(dir);
  const fs::path versions_dir = dir / "versions";
  std::set<std::string> names;
  std::vector<version_file> versions;
  for (const fs::directory_entry& entry : fs::directory_iterator(versions_dir)) {
    const std::string name = entry.path().filename().string();
    names.insert(name);
    if (const std::optional<int> n = version_file_number(name); n && entry.is_regular_file()) {
      versions.push_back({name, *n, read_whole(entry.path())});
    }
  }
  std::sort(versions.begin(), versions.end(),
            [](const version_file& a, const version_file& b) { return a.name < b.name; });
  std::optional<int> released;
  if (fs::exists(dir / "releases.txt"))
    released = last_released_version(read_whole(dir / "releases.txt"));
  const renumber_plan plan = plan_renumber(versions, names, from, to, released);

  // The result must pass `schema check`: try it on a copy first.
  {
    const scratch_dir copy;
    for (const char* top : {"access.yml", "tables.yml"}) {
      if (fs::exists(dir / top)) fs::copy_file(dir / top, copy.path() / top);
    }
    fs::copy(versions_dir, copy.path() / "versions", fs::copy_options::recursive);
    const fs::path copied = copy.path() / "versions";
    fs::remove(copied / plan.old_file);
    create_exclusive(copied / plan.new_file, plan.new_text);
    for (const file_rename& r : plan.sql) fs::rename(copied / r.from, copied / r.to);
    try {
      (void)schema::from_db_directory(copy.path());
    } catch (const std::exception& e) {
      throw std::runtime_error("renumbering version " + std::to_string(from) + " to " +
                               std::to_string(to) + " would leave " + dir.string() +
                               " failing 'pgfns schema check' (nothing was changed): " + e.what());
    }
  }

  // Every new name first (none replaces a file), then the old names go.
  std::vector<fs::path> made;
  const fs::path staged = versions_dir / (".pgfns-renumber-" + plan.new_file);
  try {
    create_exclusive(staged, plan.new_text);
    made.push_back(staged);
    for (const file_rename& r : plan.sql) {
      link_new_name(versions_dir / r.from, versions_dir / r.to);
      made.push_back(versions_dir / r.to);
    }
    link_new_name(staged, versions_dir / plan.new_file);
    made.push_back(versions_dir / plan.new_file);
  } catch (const std::exception& e) {
    // The old names are all still there: the new ones were copies or other names of them.
    for (const fs::path& p : made) {
      std::error_code ignored;
      fs::remove(p, ignored);
    }
    throw std::runtime_error(std::string(e.what()) + " (nothing was changed)");
  }
  std::vector<std::string> left;
  for (const fs::path& old : [&] {
         std::vector<fs::path> olds{staged, versions_dir / plan.old_file};
         for (const file_rename& r : plan.sql) olds.push_back(versions_dir / r.from);
         return olds;
       }()) {
    std::error_code ec;
    if (!fs::remove(old, ec) || ec) left.push_back(old.string() + " (" + ec.message() + ")");
  }
  if (!left.empty()) {
    std::string list;
    for (const std::string& l : left) list += (list.empty() ? "" : ", ") + l;
    throw std::runtime_error("version " + std::to_string(from) + " now has its new names, but " +
                             "these old names could not be removed: " + list);
  }
  return plan;
}

}  // namespace pgfns::cli::authoring

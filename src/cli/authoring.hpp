// Writing a schema directory: a new version file (`pgfns new-version`) and renumbering an
// unreleased version (`pgfns renumber`). The plans are pure (texts and names in, texts and
// names out) so that they are tested without touching the disk; apply_* do the file work.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::cli::authoring {

// "0005.yml" for 5: the four-digit convention of the format.
std::string version_file_name(int number);

// The number a version file name stands for: "0012.yml" and "012.yml" are 12; nullopt for
// anything else (another extension, no digits, a number too large).
std::optional<int> version_file_number(std::string_view file_name);

// The text of a new version file numbered `number`: no methods and a migration and downgrade
// script that do nothing, with comments saying what to fill in. It passes `schema check`.
std::string new_version_text(int number);

// One NNNN.yml file of versions/, as read from the disk.
struct version_file {
  std::string name;  // e.g. "0012.yml"
  int number = 0;
  std::string text;
};

struct file_rename {
  std::string from;  // a name in versions/
  std::string to;
};

// What renumbering one version does in versions/: write `new_text` as `new_file` and remove
// `old_file`; rename each script or body file the version names whose name carries the number
// (0012-migration.sql -> 0013-migration.sql), the references in `new_text` updated to match.
struct renumber_plan {
  std::string old_file;
  std::string new_file;
  std::string new_text{};
  std::vector<file_rename> sql{};
};

// Plans renumbering version `from` to `to` given every version file of versions/ and the names
// of all files there. `released` is the last version of a release (releases.txt), if known.
// Throws std::runtime_error saying why when it must not be done: `from` has no file, `to` is
// taken, `from` is released, `to` is not the next free number, the versions would not be
// contiguous from 1 afterwards, the `version:` field cannot be found, or a .sql file to rename
// is named by another version too or its new name is taken.
renumber_plan plan_renumber(const std::vector<version_file>& versions,
                            const std::set<std::string>& names_in_versions, int from, int to,
                            std::optional<int> released);

// The last database version of any release in releases.txt's text (Taskcluster's format:
// `<release>: <db version>` lines, `#` comments); nullopt when it lists none. Throws
// std::runtime_error naming the line of a line it cannot read.
std::optional<int> last_released_version(std::string_view releases_text);

// Writes the next version file of the schema directory `dir` and returns its path. Refuses
// (std::runtime_error) when `dir` is not a schema directory, does not pass `schema check`, or
// the file exists.
std::filesystem::path write_new_version(const std::filesystem::path& dir);

// Renumbers version `from` of `dir` to `to` (plan_renumber), after checking on a copy of the
// directory that the result passes `schema check`. Files are renamed by first making every new
// name (hard links, which never replace a file) and only then removing the old names, so that
// a failure midway leaves every file under its old name or its new one. Returns the plan.
renumber_plan renumber(const std::filesystem::path& dir, int from, int to);

}  // namespace pgfns::cli::authoring

// A temporary, editable copy of a schema tree, for tests that rename or edit its files.
#pragma once

#include <filesystem>
#include <string_view>

namespace pgfns::test {

// A copy of a directory tree in a fresh temporary directory, removed when destroyed.
class temp_tree {
 public:
  explicit temp_tree(const std::filesystem::path& source);
  ~temp_tree();
  temp_tree(const temp_tree&) = delete;
  temp_tree& operator=(const temp_tree&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path root_;
  std::filesystem::path path_;
};

// Replaces the first occurrence of `from` in the file (which must contain it).
void replace_in_file(const std::filesystem::path& file, std::string_view from, std::string_view to);

}  // namespace pgfns::test

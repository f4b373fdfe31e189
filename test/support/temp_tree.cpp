#include "temp_tree.hpp"

#include <unistd.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace pgfns::test {

temp_tree::temp_tree(const std::filesystem::path& source) {
  std::string pattern = (std::filesystem::temp_directory_path() / "pgfns-tree-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  root_ = pattern;
  path_ = root_ / source.filename();
  std::filesystem::copy(source, path_, std::filesystem::copy_options::recursive);
  // Shared fixtures are read-only; the copy must be editable.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(path_)) {
    std::filesystem::permissions(entry.path(), std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
  }
}

temp_tree::~temp_tree() {
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

void replace_in_file(const std::filesystem::path& file, std::string_view from,
                     std::string_view to) {
  std::stringstream buffer;
  buffer << std::ifstream(file).rdbuf();
  std::string text = buffer.str();
  const auto at = text.find(from);
  if (at == std::string::npos) {
    throw std::runtime_error(file.string() + " does not contain " + std::string(from));
  }
  text.replace(at, from.size(), to);
  std::ofstream(file, std::ios::trunc) << text;
}

}  // namespace pgfns::test

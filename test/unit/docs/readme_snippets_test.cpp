// README.md's C++ examples are compiled: readme_snippets.cmake extracts every ```cpp block
// into a source that this program is built from, so a snippet that stops compiling breaks the
// build. This test makes sure none was left out: the fences it finds in README.md itself, by
// a simpler reading than the extractor's, must be exactly the ones that were compiled.
#include "schema_test_paths.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::test {
// Generated with the snippets: the line of each ```cpp fence the extractor compiled.
const std::vector<int>& readme_snippet_lines();
}  // namespace pgfns::test

namespace {

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

// Every line that opens a C++ block, however it is spelled or indented. Closing fences and
// other languages' fences are not counted; a C++ fence inside another block would be (and the
// extractor would not compile it), which makes this test fail rather than pass silently.
std::vector<int> cpp_fences(const std::string& markdown) {
  std::vector<int> found;
  std::istringstream in(markdown);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    const auto t = trimmed(line);
    for (std::string_view lang : {"cpp", "c++", "C++", "cxx", "cc", "hpp"}) {
      for (std::string_view fence : {"```", "~~~"}) {
        if (t.starts_with(fence) && trimmed(t.substr(fence.size())).starts_with(lang)) {
          if (found.empty() || found.back() != number) found.push_back(number);
        }
      }
    }
  }
  return found;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  if (!f) throw std::runtime_error("cannot read " + p.string());
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(readme_snippets)

BOOST_AUTO_TEST_CASE(every_cpp_block_of_the_readme_is_compiled) {
  const auto readme = pgfns::test::env_dir("PGFNS_SOURCE_DIR") / "README.md";
  const auto fences = cpp_fences(read_file(readme));
  const auto& compiled = pgfns::test::readme_snippet_lines();
  BOOST_TEST(!fences.empty(), "no ```cpp block found in " << readme);
  BOOST_TEST(compiled == fences, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_fence_reader_finds_each_spelling) {
  const std::string md =
      "text\n"
      "```cpp\nint a;\n```\n"
      "```sh\nls\n```\n"
      "  ```c++\nint b;\n  ```\n"
      "~~~ cpp\nint c;\n~~~\n"
      "```\nplain\n```\n";
  BOOST_TEST(cpp_fences(md) == (std::vector<int>{2, 8, 11}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

// Counting the documents of a YAML stream. yaml-cpp 0.7's LoadAll cannot be used for it: when a
// document starts with a token its parser does not handle (a stray ',', as in "," or "&a ,"),
// the parser never consumes that token and LoadAll adds null documents until memory runs out
// (yaml-cpp issue 1040, fixed after 0.8). Walking the documents here, one that starts where the
// previous one started is that token, reported as a syntax error.
#include "schema/yaml/schema_yaml.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <sstream>
#include <vector>

namespace pgfns::detail {
namespace {

// Where each document starts; ignores everything else.
class document_starts final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> marks;

  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

void fail_yaml_syntax(const location& where, int line, int column, const std::string& message) {
  const std::string at =
      line < 0 ? ""
               : " at line " + std::to_string(line + 1) + ", column " + std::to_string(column + 1);
  where.fail("", "YAML syntax error" + at + ": " + message);
}

std::size_t count_yaml_documents(const location& where, const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  document_starts starts;
  while (parser.HandleNextDocument(starts)) {
    const auto& m = starts.marks;
    if (m.size() < 2 || m[m.size() - 1].pos != m[m.size() - 2].pos) continue;
    const auto pos = static_cast<std::size_t>(m.back().pos);
    fail_yaml_syntax(
        where, m.back().line, m.back().column,
        pos < text.size() ? "unexpected '" + std::string(1, text[pos]) + "'" : "unexpected token");
  }
  return starts.marks.size();
}

}  // namespace pgfns::detail

#include "codegen/enum_scan.hpp"

#include "common/sql_text.hpp"

#include <pgfns/codegen.hpp>

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace pgfns::detail {
namespace {

// The value of a string literal token ('...', E'...', $tag$...$tag$); nullopt for a number.
std::optional<std::string> string_value(const token& t) {
  std::string_view text = t.text;
  if (text.front() == '$') {  // $tag$...$tag$, or $1 (a parameter)
    const std::size_t tag = text.find('$', 1) + 1;
    if (tag == 0) return std::nullopt;
    return std::string(text.substr(tag, text.size() - 2 * tag));
  }
  const bool escapes = text.front() == 'E' || text.front() == 'e';
  const std::size_t quote = text.find('\'');
  if (quote == std::string_view::npos) return std::nullopt;
  text = text.substr(quote + 1, text.size() - quote - 2);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\'') {
      ++i;  // '' is one quote
    } else if (escapes && text[i] == '\\' && i + 1 < text.size()) {
      const char c = text[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
      continue;
    }
    out += text[i];
  }
  return out;
}

class statement_reader {
 public:
  explicit statement_reader(const std::vector<token>& t, enum_types& enums)
      : t_(t), enums_(enums) {}

  void run() {
    for (std::size_t start = 0; start < t_.size(); ++start) {
      k_ = start;
      if (word("create") && word("type")) {
        create();
        continue;
      }
      k_ = start;
      if (word("alter") && word("type")) {
        alter();
        continue;
      }
      k_ = start;
      if (word("drop") && word("type")) drop();
    }
  }

 private:
  // Each reader consumes the token it matches; a statement that does not match is ignored.
  bool word(std::string_view w) {
    if (k_ < t_.size() && t_[k_].kind == token_kind::word && t_[k_].text == w) return ++k_, true;
    return false;
  }
  bool punct(char c) {
    if (k_ < t_.size() && t_[k_].kind == token_kind::punct && t_[k_].text.front() == c)
      return ++k_, true;
    return false;
  }
  std::optional<std::string> label() {
    if (k_ >= t_.size() || t_[k_].kind != token_kind::literal) return std::nullopt;
    auto value = string_value(t_[k_]);
    if (value) ++k_;
    return value;
  }
  std::string name() {
    for (const std::size_t length : {3u, 1u}) {
      const std::string key = type_name_key(t_, k_, std::min(k_ + length, t_.size()));
      if (!key.empty()) {
        k_ += length;
        return key;
      }
    }
    return "";
  }

  void create() {
    const std::string key = name();
    if (key.empty() || !word("as") || !word("enum") || !punct('(')) return;
    std::vector<std::string> labels;
    while (auto l = label()) {
      labels.push_back(std::move(*l));
      if (!punct(',')) break;
    }
    if (punct(')')) enums_[key] = std::move(labels);
  }

  void alter() {
    const auto it = enums_.find(name());
    if (it == enums_.end()) return;
    std::vector<std::string>& labels = it->second;
    const std::size_t action = k_;
    const auto starts = [&](std::string_view first, std::string_view second) {
      k_ = action;
      return word(first) && word(second);
    };
    if (starts("add", "value")) {
      const bool if_not_exists = word("if") && word("not") && word("exists");
      const auto added = label();
      if (!added ||
          (if_not_exists && std::find(labels.begin(), labels.end(), *added) != labels.end()))
        return;
      const bool before = word("before");
      const bool after = !before && word("after");
      const auto neighbour = before || after ? label() : std::nullopt;
      auto at = neighbour ? std::find(labels.begin(), labels.end(), *neighbour) : labels.end();
      if (after && at != labels.end()) ++at;
      labels.insert(at, *added);
    } else if (starts("rename", "value")) {
      const auto from = label();
      const auto to = word("to") ? label() : std::nullopt;
      if (!from || !to) return;
      std::replace(labels.begin(), labels.end(), *from, *to);
    } else if (starts("rename", "to")) {
      const std::string renamed = name();
      if (renamed.empty()) return;
      auto moved = std::move(labels);
      enums_.erase(it);
      enums_[renamed] = std::move(moved);
    }
  }

  void drop() {
    if (word("if")) word("exists");
    do {
      const std::string key = name();
      if (key.empty()) return;
      enums_.erase(key);
    } while (punct(','));
  }

  const std::vector<token>& t_;
  enum_types& enums_;
  std::size_t k_ = 0;
};

}  // namespace

void scan_enum_statements(std::string_view script, enum_types& enums) {
  // `$db_user_prefix$` would read as a dollar quote: it stands for a name.
  const std::vector<token> tokens = tokenize_statements(substitute_prefix(script, "prefix"));
  statement_reader(tokens, enums).run();
}

enum_types scan_enums(const schema& s) {
  enum_types enums;
  for (const version& v : s.versions()) {
    if (!v.migration_script) continue;
    try {
      scan_enum_statements(*v.migration_script, enums);
    } catch (const std::invalid_argument& e) {
      throw codegen_error("version " + std::to_string(v.number) +
                          ": migration script: cannot be read for enum types: " + e.what());
    }
  }
  return enums;
}

}  // namespace pgfns::detail

// C++ names and text for generated bindings: identifiers made from SQL names and enum labels,
// one C++ scope's names (a clash is an error, never a silent rename), string literals and
// comments that hold any text safely.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgfns::detail {

// The C++ identifier for an SQL name or an enum label: every character but ASCII letters,
// digits and '_' becomes '_', runs of '_' become one and leading ones are dropped (no reserved
// `__` or `_X`), a leading digit gets a '_' before it, and a C++ keyword, a macro of the
// standard library (`errno`, `assert`, ...), `std`, `boost`, `pgfns`, or one of `also_reserved`
// (names the generated code uses in that scope) gets a '_' after it. "" when nothing is left
// (a label of punctuation alone).
//   "very-high" -> very_high   "class" -> class_   "1st" -> _1st   "a--b" -> a_b
std::string cpp_identifier(std::string_view name,
                           std::initializer_list<std::string_view> also_reserved = {});

// The names declared in one C++ scope. A second thing given a name already taken is refused:
// codegen_error "<what> and <the first> would both be <id> in <scope>; rename one of them".
class name_scope {
 public:
  explicit name_scope(std::string scope) : scope_(std::move(scope)) {}

  // Records `id` for `what` (e.g. "method get_task"); throws codegen_error on a clash, and for
  // an empty id ("<what> gives no C++ name in <scope>").
  void claim(const std::string& id, const std::string& what);
  bool contains(std::string_view id) const { return owners_.find(id) != owners_.end(); }

 private:
  std::string scope_;
  std::map<std::string, std::string, std::less<>> owners_;  // id -> what
};

// `text` as a C++ string literal: quotes, backslashes and control characters escaped.
std::string cpp_string_literal(std::string_view text);

// `text` as `// ` comment lines (one per line of text, "//" alone for an empty one), each ended
// by '\n'. Carriage returns end lines too, other control characters become spaces, and a
// trailing backslash is kept from continuing the comment onto the next line.
std::string comment_lines(std::string_view text);

}  // namespace pgfns::detail

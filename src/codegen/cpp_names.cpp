#include "codegen/cpp_names.hpp"

#include <pgfns/codegen.hpp>

#include <algorithm>
#include <iterator>

namespace pgfns::detail {
namespace {

// C++20's keywords and alternative tokens, the macros of the standard library and of common
// platforms a name would collide with, and the namespaces generated code refers to.
constexpr std::string_view reserved_words[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
    "case", "catch", "char", "char16_t", "char32_t", "char8_t", "class", "co_await", "co_return",
    "co_yield", "compl", "concept", "const", "const_cast", "consteval", "constexpr", "constinit",
    "continue", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline",
    "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr",
    "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
    "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast",
    "struct", "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef",
    "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t",
    "while", "xor", "xor_eq",
    // macros
    "assert", "errno", "linux", "unix", "i386", "major", "minor", "makedev", "offsetof", "setjmp",
    "stdin", "stdout", "stderr", "va_arg", "va_copy", "va_end", "va_start", "NULL", "EOF", "BUFSIZ",
    "FILENAME_MAX", "RAND_MAX", "EXIT_SUCCESS", "EXIT_FAILURE", "SIZE_MAX", "INT_MAX",
    // namespaces
    "std", "boost", "pgfns"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_';
}

}  // namespace

std::string cpp_identifier(std::string_view name,
                           std::initializer_list<std::string_view> also_reserved) {
  std::string out;
  for (const char c : name) {
    const char kept = is_identifier_char(c) ? c : '_';
    if (kept == '_' && (out.empty() || out.back() == '_')) continue;
    out += kept;
  }
  if (out.empty()) return out;
  if (is_digit(out.front())) out.insert(out.begin(), '_');
  const auto is = [&](std::string_view w) { return w == out; };
  if (std::any_of(std::begin(reserved_words), std::end(reserved_words), is) ||
      std::any_of(also_reserved.begin(), also_reserved.end(), is))
    out += '_';
  return out;
}

void name_scope::claim(const std::string& id, const std::string& what) {
  if (id.empty()) throw codegen_error(what + " gives no C++ name in " + scope_);
  const auto [it, inserted] = owners_.emplace(id, what);
  if (!inserted) {
    throw codegen_error(what + " and " + it->second + " would both be " + id + " in " + scope_ +
                        "; rename one of them");
  }
}

std::string cpp_string_literal(std::string_view text) {
  static constexpr char octal[] = "01234567";
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += '\\';
      out += octal[u >> 6];
      out += octal[(u >> 3) & 7];
      out += octal[u & 7];
    } else {
      out += c;
    }
  }
  return out + '"';
}

std::string comment_lines(std::string_view text) {
  std::string out;
  std::string line;
  const auto flush = [&] {
    while (!line.empty() && line.back() == ' ') line.pop_back();
    // A backslash ending a line would splice the next line into the comment.
    if (!line.empty() && line.back() == '\\') line += " (end of line)";
    out += line.empty() ? "//\n" : "// " + line + "\n";
    line.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      flush();
    } else {
      const auto u = static_cast<unsigned char>(c);
      line += u < 0x20 || u == 0x7f ? ' ' : c;
    }
  }
  flush();
  return out;
}

}  // namespace pgfns::detail

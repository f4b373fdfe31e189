#include "schema/signature_lexer.hpp"

#include <algorithm>
#include <stdexcept>

namespace pgfns::detail {
namespace {

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_name_start(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_name_char(char c) noexcept {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '$';
}
bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
bool is_op_char(char c) noexcept {
  return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos;
}

// A character that has no place in an argument list, printable or not.
std::string shown_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7f) return std::string("\"") + c + '"';
  const char* hex = "0123456789abcdef";
  return std::string("byte 0x") + hex[u >> 4] + hex[u & 0xf];
}

class lexer {
 public:
  lexer(std::string_view text, bool statements) : s_(text), statements_(statements) {}

  std::vector<token> run() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (is_space(c)) {
        ++i_;
        gap_ = true;
      } else if (c == '-' && next_is('-')) {
        skip_line_comment();
      } else if (c == '/' && next_is('*')) {
        skip_block_comment();
      } else if (is_name_start(c)) {
        name_or_prefixed_literal();
      } else if (c == '"') {
        quoted_name(i_);
      } else if (c == '\'') {
        string_literal(i_, i_, false);
      } else if (c == '$') {
        dollar();
      } else if (is_digit(c) || (c == '.' && i_ + 1 < s_.size() && is_digit(s_[i_ + 1]))) {
        number();
      } else if (c == '(' || c == '[') {
        push(token_kind::punct, i_, i_ + 1, std::string(1, c));
        open_.push_back(i_);
        ++i_;
      } else if (c == ')' || c == ']') {
        close(c);
      } else if (c == ',' || c == ':' || c == '.') {
        push(token_kind::punct, i_, i_ + 1, std::string(1, c));
        ++i_;
      } else if (is_op_char(c)) {
        op();
      } else if (statements_) {
        push(token_kind::punct, i_, i_ + 1, std::string(1, c));
        ++i_;
      } else if (c == ';') {
        fail(i_, "\";\" has no place in an argument list");
      } else {
        fail(i_, "unexpected " + shown_char(c));
      }
    }
    if (!open_.empty()) {
      fail(open_.back(), std::string("\"") + s_[open_.back()] + "\" is never closed");
    }
    return std::move(tokens_);
  }

 private:
  bool next_is(char c) const noexcept { return i_ + 1 < s_.size() && s_[i_ + 1] == c; }

  void push(token_kind kind, std::size_t begin, std::size_t end, std::string text) {
    tokens_.push_back({kind, begin, end, std::move(text), open_.size(), gap_ && !tokens_.empty()});
    gap_ = false;
  }

  // The message names the parameter holding `at`: the one after as many top-level commas (in
  // statements, the line).
  [[noreturn]] void fail(std::size_t at, const std::string& problem) const {
    if (statements_) {
      const auto line = std::count(s_.begin(), s_.begin() + static_cast<std::ptrdiff_t>(at), '\n');
      throw std::invalid_argument("line " + std::to_string(line + 1) + ": " + problem);
    }
    std::size_t number = 1;
    std::size_t start = 0;
    for (const token& t : tokens_) {
      if (t.kind == token_kind::punct && t.text == "," && t.depth == 0 && t.begin < at) {
        ++number;
        start = t.end;
      }
    }
    throw std::invalid_argument("parameter " + std::to_string(number) + " (" +
                                shown(s_.substr(start)) + "): " + problem);
  }

  void skip_line_comment() {
    while (i_ < s_.size() && s_[i_] != '\n') ++i_;
    gap_ = true;
  }

  // Block comments nest, as in PostgreSQL.
  void skip_block_comment() {
    const std::size_t start = i_;
    std::size_t depth = 0;
    while (i_ < s_.size()) {
      if (s_[i_] == '/' && next_is('*')) {
        ++depth;
        i_ += 2;
      } else if (s_[i_] == '*' && next_is('/')) {
        i_ += 2;
        if (--depth == 0) {
          gap_ = true;
          return;
        }
      } else {
        ++i_;
      }
    }
    fail(start, "comment \"/*\" is never closed");
  }

  void name_or_prefixed_literal() {
    const std::size_t start = i_;
    const char c = s_[i_];
    // E'...', B'...', X'...', N'...': a string with a one-letter prefix; U&'...' and U&"...".
    if (i_ + 1 < s_.size() && s_[i_ + 1] == '\'' &&
        std::string_view("EeBbXxNn").find(c) != std::string_view::npos) {
      return string_literal(start, i_ + 1, c == 'E' || c == 'e');
    }
    if ((c == 'U' || c == 'u') && i_ + 2 < s_.size() && s_[i_ + 1] == '&') {
      if (s_[i_ + 2] == '\'') return string_literal(start, i_ + 2, false);
      if (s_[i_ + 2] == '"') return quoted_name(start);
    }
    std::string text;
    while (i_ < s_.size() && is_name_char(s_[i_])) {
      char ch = s_[i_++];
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      text += ch;
    }
    push(token_kind::word, start, i_, std::move(text));
  }

  // "..." with "" for a quote; `start` is where a U& prefix begins.
  void quoted_name(std::size_t start) {
    i_ = s_.find('"', start) + 1;
    std::string text;
    for (;;) {
      const std::size_t q = s_.find('"', i_);
      if (q == std::string_view::npos) fail(start, "quoted name is never closed");
      text.append(s_.substr(i_, q - i_));
      i_ = q + 1;
      if (i_ < s_.size() && s_[i_] == '"') {
        text += '"';
        ++i_;
        continue;
      }
      break;
    }
    if (text.empty()) fail(start, "empty quoted name \"\"");
    push(token_kind::quoted_name, start, i_, std::move(text));
  }

  // '...' with '' for a quote, and backslash escapes when `escapes` (E'...'); `quote` is the
  // position of the opening quote, `start` that of the token (its prefix, if any).
  void string_literal(std::size_t start, std::size_t quote, bool escapes) {
    i_ = quote + 1;
    for (;;) {
      if (i_ >= s_.size()) fail(start, "string is never closed");
      const char c = s_[i_++];
      if (escapes && c == '\\') {
        ++i_;
      } else if (c == '\'') {
        if (i_ < s_.size() && s_[i_] == '\'') {
          ++i_;
        } else {
          break;
        }
      }
    }
    push(token_kind::literal, start, i_, std::string(s_.substr(start, i_ - start)));
  }

  // $n (a parameter reference) or a dollar-quoted string $tag$...$tag$.
  void dollar() {
    const std::size_t start = i_;
    std::size_t j = i_ + 1;
    if (j < s_.size() && is_digit(s_[j])) {
      while (j < s_.size() && is_digit(s_[j])) ++j;
      i_ = j;
      return push(token_kind::literal, start, j, std::string(s_.substr(start, j - start)));
    }
    if (j < s_.size() && is_name_start(s_[j])) {
      while (j < s_.size() && is_name_char(s_[j]) && s_[j] != '$') ++j;
    }
    if (j >= s_.size() || s_[j] != '$') fail(start, "unexpected \"$\"");
    const std::string_view tag = s_.substr(start, j - start + 1);
    const std::size_t close = s_.find(tag, j + 1);
    if (close == std::string_view::npos) {
      fail(start, "dollar-quoted string " + std::string(tag) + " is never closed");
    }
    i_ = close + tag.size();
    push(token_kind::literal, start, i_, std::string(s_.substr(start, i_ - start)));
  }

  void number() {
    const std::size_t start = i_;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      const bool exponent_sign = (c == '+' || c == '-') && i_ > start &&
                                 (s_[i_ - 1] == 'e' || s_[i_ - 1] == 'E') && is_digit(s_[start]);
      if (!(is_digit(c) || is_name_start(c) || c == '.' || exponent_sign)) break;
      ++i_;
    }
    push(token_kind::literal, start, i_, std::string(s_.substr(start, i_ - start)));
  }

  void close(char c) {
    const char opener = c == ')' ? '(' : '[';
    if (open_.empty()) fail(i_, std::string("\"") + c + "\" closes nothing");
    if (s_[open_.back()] != opener) {
      fail(i_, std::string("\"") + c + "\" closes \"" + s_[open_.back()] + "\"");
    }
    open_.pop_back();
    push(token_kind::punct, i_, i_ + 1, std::string(1, c));
    ++i_;
  }

  // As PostgreSQL: a run stops before "--" or "/*", and loses a trailing + or - unless it holds
  // one of ~!@#%^&|`? (so `=-1` is "=" then "-1").
  void op() {
    const std::size_t start = i_;
    while (i_ < s_.size() && is_op_char(s_[i_])) {
      if (i_ > start && ((s_[i_] == '-' && next_is('-')) || (s_[i_] == '/' && next_is('*')))) break;
      ++i_;
    }
    std::string_view run = s_.substr(start, i_ - start);
    if (run.size() > 1 && run.find_first_of("~!@#%^&|`?") == std::string_view::npos) {
      while (run.size() > 1 && (run.back() == '+' || run.back() == '-')) run.remove_suffix(1);
      i_ = start + run.size();
    }
    push(token_kind::op, start, i_, std::string(run));
  }

  std::string_view s_;
  bool statements_;
  std::size_t i_ = 0;
  bool gap_ = false;
  std::vector<std::size_t> open_;  // positions of the open ( and [
  std::vector<token> tokens_;
};

}  // namespace

std::string shown(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (is_space(c)) c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > 60) out = out.substr(0, 57) + "...";
  return '"' + out + '"';
}

std::vector<token> tokenize(std::string_view args) {
  return lexer(args, false).run();
}

std::vector<token> tokenize_statements(std::string_view sql) {
  return lexer(sql, true).run();
}

}  // namespace pgfns::detail

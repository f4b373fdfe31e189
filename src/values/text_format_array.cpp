// PostgreSQL's one-dimensional array literal: {a,"b c","d\"e"}.
#include <pgfns/text_format.hpp>

#include "values/array_text.hpp"
#include "values/text_refusal.hpp"

namespace pgfns::detail {
namespace {

// The white space array_in skips around elements.
bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool is_null_token(std::string_view token) noexcept {
  return token.size() == 4 && (token[0] | 0x20) == 'n' && (token[1] | 0x20) == 'u' &&
         (token[2] | 0x20) == 'l' && (token[3] | 0x20) == 'l';
}

// An element found in the literal: a part of the text, or of the scratch buffer once unescaped.
struct piece {
  bool in_scratch = false;
  std::size_t offset = 0;
  std::size_t size = 0;
};

class array_splitter {
 public:
  array_splitter(std::string_view text, std::string& scratch) : text_(text), scratch_(scratch) {}

  std::vector<std::string_view> split() {
    skip_space();
    if (at_ < text_.size() && text_[at_] == '[')
      refuse_text("an array with explicit bounds (pgfns reads arrays that start at 1)", text_);
    if (at_ >= text_.size() || text_[at_] != '{') malformed();
    scratch_.clear();
    ++at_;
    skip_space();
    if (at_ < text_.size() && text_[at_] == '}') {
      ++at_;
    } else {
      for (;;) {
        skip_space();
        if (at_ >= text_.size()) malformed();
        if (text_[at_] == '{') refuse_text("a multi-dimensional array", text_);
        if (text_[at_] == '"')
          quoted();
        else
          unquoted();
        if (at_ >= text_.size()) malformed();
        const char c = text_[at_++];
        if (c == '}') break;
        if (c != ',') malformed();
      }
    }
    skip_space();
    if (at_ != text_.size()) malformed();
    std::vector<std::string_view> out;
    out.reserve(pieces_.size());
    for (const piece& p : pieces_)
      out.push_back((p.in_scratch ? std::string_view(scratch_) : text_).substr(p.offset, p.size));
    return out;
  }

 private:
  [[noreturn]] void malformed() const { refuse_text("not an array literal", text_); }

  void skip_space() {
    while (at_ < text_.size() && is_space(text_[at_])) ++at_;
  }

  // Adds text_[from, to) as an element, unescaped into scratch_ when it holds a backslash.
  void add(std::size_t from, std::size_t to, bool escaped) {
    if (!escaped) {
      pieces_.push_back({false, from, to - from});
      return;
    }
    const std::size_t start = scratch_.size();
    for (std::size_t i = from; i < to; ++i) {
      if (text_[i] == '\\') ++i;
      scratch_.push_back(text_[i]);
    }
    pieces_.push_back({true, start, scratch_.size() - start});
  }

  void quoted() {
    const std::size_t from = ++at_;
    bool escaped = false;
    while (at_ < text_.size() && text_[at_] != '"') {
      if (text_[at_] == '\\') {
        escaped = true;
        ++at_;
      }
      ++at_;
    }
    if (at_ >= text_.size()) malformed();
    add(from, at_, escaped);
    ++at_;
    skip_space();
  }

  void unquoted() {
    const std::size_t from = at_;
    bool escaped = false;
    std::size_t end = at_;  // after the last character that is not unescaped white space
    while (at_ < text_.size() && text_[at_] != ',' && text_[at_] != '}') {
      const char c = text_[at_];
      if (c == '"' || c == '{') malformed();
      if (c == '\\') {
        escaped = true;
        if (++at_ >= text_.size()) malformed();
      }
      ++at_;
      if (c == '\\' || !is_space(c)) end = at_;
    }
    if (end == from) malformed();
    if (!escaped && is_null_token(text_.substr(from, end - from)))
      refuse_text("an array with a NULL element", text_);
    add(from, end, escaped);
  }

  std::string_view text_;
  std::string& scratch_;
  std::size_t at_ = 0;
  std::vector<piece> pieces_;
};

}  // namespace

void escape_tail(std::string& out, std::size_t from) {
  std::size_t specials = 0;
  for (std::size_t i = from; i < out.size(); ++i) specials += out[i] == '"' || out[i] == '\\';
  if (specials == 0) return;
  std::size_t src = out.size();
  out.resize(out.size() + specials);
  std::size_t dst = out.size();
  while (src > from) {
    const char c = out[--src];
    out[--dst] = c;
    if (c == '"' || c == '\\') out[--dst] = '\\';
  }
}

void append_array_element(std::string& out, std::string_view element) {
  out.push_back('"');
  const std::size_t start = out.size();
  out.append(element);
  escape_tail(out, start);
  out.push_back('"');
}

std::vector<std::string_view> split_array(std::string_view text, std::string& scratch) {
  return array_splitter(text, scratch).split();
}

}  // namespace pgfns::detail

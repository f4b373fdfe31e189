#include "schema/signature.hpp"

#include "schema/signature_lexer.hpp"

#include <stdexcept>

namespace pgfns::detail {
namespace {

// The tokens of one parameter, [b, e) of the whole list.
class parameter_parser {
 public:
  parameter_parser(std::string_view args, const std::vector<token>& t, std::size_t b, std::size_t e,
                   std::size_t number)
      : args_(args), t_(t), b_(b), e_(e), number_(number) {}

  parameter parse() {
    parameter p;
    std::size_t head_end = e_;
    for (std::size_t k = b_; k < e_; ++k) {
      if (t_[k].depth != 0) continue;
      const bool keyword = is_word(k, e_, "default");
      if (keyword || (t_[k].kind == token_kind::op && t_[k].text.front() == '=')) {
        head_end = k;
        p.has_default = true;
        if (k + 1 == e_) fail(shown(t_[k].text) + " without a value");
        break;
      }
    }
    std::size_t i = b_;
    if (head_end - i == 1 && mode_at(i, p.mode)) fail("no type after " + t_[i].text);
    if (head_end - i >= 2 && mode_at(i, p.mode)) {
      ++i;
    } else if (head_end - i >= 3 && mode_at(i + 1, p.mode)) {
      // name MODE type
      if (!is_name(i)) fail("expected a name before \"" + t_[i + 1].text + "\"");
      p.name = t_[i].text;
      p.type = text_of(i + 2, head_end);
      if (type_end(i + 2, head_end) != head_end) not_a_type(i + 2, head_end);
      return p;
    }
    if (i == head_end) fail("no type");
    if (type_end(i, head_end) == head_end) {
      p.type = text_of(i, head_end);  // no name
      return p;
    }
    if (!is_name(i)) {
      fail("expected a name or a type, found " + shown(text_of(i, i + 1)));
    }
    if (i + 1 == head_end) fail("no type");
    p.name = t_[i].text;
    if (type_end(i + 1, head_end) != head_end) not_a_type(i + 1, head_end);
    p.type = text_of(i + 1, head_end);
    return p;
  }

  [[noreturn]] void fail(const std::string& problem) const {
    throw std::invalid_argument(label() + ": " + problem);
  }

 private:
  std::string label() const {
    const std::size_t from = b_ < e_ ? t_[b_].begin : 0;
    const std::size_t to = b_ < e_ ? t_[e_ - 1].end : 0;
    return "parameter " + std::to_string(number_) + " (" + shown(args_.substr(from, to - from)) +
           ")";
  }

  [[noreturn]] void not_a_type(std::size_t b, std::size_t e) const {
    fail(shown(text_of(b, e)) + " is not a type (is a comma missing?)");
  }

  bool is_word(std::size_t k, std::size_t e, std::string_view w) const {
    return k < e && t_[k].kind == token_kind::word && t_[k].text == w;
  }
  bool is_punct(std::size_t k, std::size_t e, char c) const {
    return k < e && t_[k].kind == token_kind::punct && t_[k].text.front() == c;
  }
  bool is_name(std::size_t k) const {
    return t_[k].kind == token_kind::word || t_[k].kind == token_kind::quoted_name;
  }

  bool mode_at(std::size_t k, parameter_mode& mode) const {
    if (t_[k].kind != token_kind::word) return false;
    const std::string& w = t_[k].text;
    if (w == "in") {
      mode = parameter_mode::in;
    } else if (w == "out") {
      mode = parameter_mode::out;
    } else if (w == "inout") {
      mode = parameter_mode::inout;
    } else if (w == "variadic") {
      mode = parameter_mode::variadic;
    } else {
      return false;
    }
    return true;
  }

  // The tokens [b, e) as written, each gap between them one space.
  std::string text_of(std::size_t b, std::size_t e) const {
    std::string out;
    for (std::size_t k = b; k < e; ++k) {
      if (k > b && t_[k].space_before) out += ' ';
      out += args_.substr(t_[k].begin, t_[k].end - t_[k].begin);
    }
    return out;
  }

  // After the bracket at k, its match (the lexer checked that every bracket closes).
  std::size_t after_brackets(std::size_t k, std::size_t e) const {
    const char closer = t_[k].text.front() == '(' ? ')' : ']';
    for (std::size_t j = k + 1; j < e; ++j) {
      if (t_[j].depth == t_[k].depth && is_punct(j, e, closer)) return j + 1;
    }
    return npos;
  }
  std::size_t optional_parens(std::size_t k, std::size_t e) const {
    return is_punct(k, e, '(') ? after_brackets(k, e) : k;
  }

  // The end of the type starting at `b`, or npos when no type starts there.
  std::size_t type_end(std::size_t b, std::size_t e) const {
    if (b >= e || !is_name(b)) return npos;
    std::size_t k = b + 1;
    const std::string_view w =
        t_[b].kind == token_kind::word ? std::string_view(t_[b].text) : std::string_view();
    if (w == "in" || w == "variadic") return npos;  // reserved words, never a type
    if (w == "double" && is_word(k, e, "precision")) {
      ++k;
    } else if (w == "character" || w == "char" || w == "nchar" || w == "bit" ||
               (w == "national" && (is_word(k, e, "character") || is_word(k, e, "char")))) {
      if (w == "national") ++k;
      if (is_word(k, e, "varying")) ++k;
      k = optional_parens(k, e);
    } else if (w == "time" || w == "timestamp") {
      k = optional_parens(k, e);
      if (k != npos && (is_word(k, e, "with") || is_word(k, e, "without")) &&
          is_word(k + 1, e, "time") && is_word(k + 2, e, "zone"))
        k += 3;
    } else if (w == "interval") {
      k = optional_parens(k, e);
      while (k != npos && k < e && t_[k].kind == token_kind::word &&
             (t_[k].text == "year" || t_[k].text == "month" || t_[k].text == "day" ||
              t_[k].text == "hour" || t_[k].text == "minute" || t_[k].text == "second" ||
              t_[k].text == "to"))
        ++k;
      if (k != npos) k = optional_parens(k, e);
    } else {
      // name[.name...] then (modifiers) or %type / %rowtype
      while (is_punct(k, e, '.') && k + 1 < e && is_name(k + 1)) k += 2;
      if (k < e && t_[k].kind == token_kind::op && t_[k].text == "%" &&
          (is_word(k + 1, e, "type") || is_word(k + 1, e, "rowtype"))) {
        k += 2;
      } else {
        k = optional_parens(k, e);
      }
    }
    // Array bounds: [] or [n], repeated, or ARRAY, or ARRAY[n].
    while (k != npos && is_punct(k, e, '[')) k = after_brackets(k, e);
    if (k != npos && is_word(k, e, "array")) {
      ++k;
      if (is_punct(k, e, '[')) k = after_brackets(k, e);
    }
    return k;
  }

  static constexpr std::size_t npos = std::string_view::npos;

  std::string_view args_;
  const std::vector<token>& t_;
  std::size_t b_;
  std::size_t e_;
  std::size_t number_;
};

[[noreturn]] void fail_at(std::size_t number, const parameter& p, const std::string& problem) {
  std::string label = p.name.empty() ? p.type : p.name;
  throw std::invalid_argument("parameter " + std::to_string(number) + " (" + label +
                              "): " + problem);
}

// Two parameters may share a name only when one is an input alone (IN, VARIADIC) and the other
// an output alone (OUT), as in PostgreSQL.
bool names_clash(const parameter& a, const parameter& b) {
  const bool a_out_only = a.mode == parameter_mode::out;
  const bool b_out_only = b.mode == parameter_mode::out;
  const bool a_in_only = a.mode == parameter_mode::in || a.mode == parameter_mode::variadic;
  const bool b_in_only = b.mode == parameter_mode::in || b.mode == parameter_mode::variadic;
  return !((a_in_only && b_out_only) || (a_out_only && b_in_only));
}

// The rules PostgreSQL applies when the function is created.
void check_parameters(signature& s) {
  std::size_t first_default = 0;  // 1-based number of the first input with a default
  std::size_t variadic_at = 0;
  for (std::size_t i = 0; i < s.parameters.size(); ++i) {
    const parameter& p = s.parameters[i];
    const std::size_t number = i + 1;
    for (std::size_t j = 0; j < i && !p.name.empty(); ++j) {
      if (s.parameters[j].name == p.name && names_clash(s.parameters[j], p)) {
        fail_at(number, p,
                "the name " + p.name + " is used by parameter " + std::to_string(j + 1) + " too");
      }
    }
    if (!p.is_input()) {
      if (p.has_default) fail_at(number, p, "an OUT parameter cannot have a default");
      continue;
    }
    if (variadic_at) {
      fail_at(variadic_at, s.parameters[variadic_at - 1],
              "VARIADIC must be the last input parameter, and parameter " + std::to_string(number) +
                  " follows it");
    }
    if (p.has_default && !first_default) first_default = number;
    if (!p.has_default && first_default) {
      fail_at(number, p,
              "has no default, but parameter " + std::to_string(first_default) +
                  " before it has one (the input parameters after one with a default need "
                  "defaults too)");
    }
    if (p.mode == parameter_mode::variadic) variadic_at = number;
    ++s.max_args;
    if (!p.has_default) ++s.min_args;
  }
  if (variadic_at) {
    s.variadic = true;
    s.max_args = signature::unbounded;
  }
}

}  // namespace

std::string_view to_string(parameter_mode m) noexcept {
  switch (m) {
    case parameter_mode::in:
      return "in";
    case parameter_mode::out:
      return "out";
    case parameter_mode::inout:
      return "inout";
    case parameter_mode::variadic:
      return "variadic";
  }
  return "in";
}

signature parse_signature(std::string_view args) {
  const std::vector<token> tokens = tokenize(args);
  signature s;
  std::size_t b = 0;
  for (std::size_t k = 0; k <= tokens.size(); ++k) {
    const bool comma = k < tokens.size() && tokens[k].kind == token_kind::punct &&
                       tokens[k].text == "," && tokens[k].depth == 0;
    if (!comma && k < tokens.size()) continue;
    const std::size_t number = s.parameters.size() + 1;
    if (b == k) {
      if (tokens.empty()) break;  // no parameters at all
      throw std::invalid_argument("parameter " + std::to_string(number) +
                                  " is empty (a comma too many?)");
    }
    s.parameters.push_back(parameter_parser(args, tokens, b, k, number).parse());
    b = k + 1;
  }
  check_parameters(s);
  return s;
}

std::string describe_inputs(const signature& s) {
  std::string out;
  for (const parameter& p : s.parameters) {
    if (!p.is_input()) continue;
    if (!out.empty()) out += ", ";
    if (p.has_default) out += '[';
    if (p.mode == parameter_mode::variadic) out += "variadic ";
    if (!p.name.empty()) {
      out += p.name;
      out += ' ';
    }
    out += p.type;
    if (p.has_default) out += ']';
  }
  return out;
}

}  // namespace pgfns::detail

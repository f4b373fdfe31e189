// The tokens of a method's `args` text, as PostgreSQL's lexer would split them: words (folded),
// quoted names, literals, punctuation and operators, each with its bracket depth. The first
// step of parse_signature (signature.hpp); tokenize_statements reads whole scripts the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

enum class token_kind {
  word,         // an unquoted name or keyword, folded to lowercase
  quoted_name,  // "Name", unescaped
  literal,      // a string, dollar-quoted string, number or $n
  punct,        // ( ) [ ] , : . (and, in statements, ; and any other character)
  op,           // a run of operator characters: =, %, ::, ...
};

struct token {
  token_kind kind;
  std::size_t begin = 0;  // in the args text
  std::size_t end = 0;
  std::string text;           // words folded, quoted names unescaped, the rest as written
  std::size_t depth = 0;      // open ( and [ around it (a bracket has the depth outside it)
  bool space_before = false;  // spaces or a comment separate it from the previous token
};

// The tokens of `args`; throws std::invalid_argument naming the parameter and the character at
// fault (an unclosed quote or bracket, a character with no place in an argument list).
std::vector<token> tokenize(std::string_view args);

// The tokens of SQL statements (a migration script): as tokenize, but `;` and characters with
// no place in an argument list are punct tokens. Throws std::invalid_argument naming the line
// of an unclosed quote, comment or bracket.
std::vector<token> tokenize_statements(std::string_view sql);

// Long or multi-line text made short and one line for messages, in double quotes.
std::string shown(std::string_view text);

}  // namespace pgfns::detail

// Typing plain YAML scalars by the YAML 1.2 core schema.
#include "schema/yaml/schema_yaml.hpp"

#include <algorithm>

namespace pgfns::detail {
namespace {

template <class Pred>
bool all_of(std::string_view s, Pred pred) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_octal(char c) {
  return c >= '0' && c <= '7';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// [0-9]*(\.[0-9]*)?([eE][-+]?[0-9]+)? with at least one digit before the exponent.
bool is_float(std::string_view s) {
  std::size_t i = 0, digits = 0;
  const auto run = [&] {
    std::size_t n = 0;
    while (i < s.size() && is_digit(s[i])) ++i, ++n;
    return n;
  };
  digits += run();
  if (i < s.size() && s[i] == '.') ++i, digits += run();
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (run() == 0) return false;
  }
  return i == s.size();
}

}  // namespace

bool is_decimal(std::string_view s) {
  return all_of(s, is_digit);
}

scalar_kind resolve_plain(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return scalar_kind::null;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    return scalar_kind::boolean;
  }
  if ((s.starts_with("0o") && all_of(s.substr(2), is_octal)) ||
      (s.starts_with("0x") && all_of(s.substr(2), is_hex))) {
    return scalar_kind::integer;
  }
  std::string_view unsigned_part = s;
  if (s[0] == '+' || s[0] == '-') unsigned_part.remove_prefix(1);
  if (all_of(unsigned_part, is_digit)) return scalar_kind::integer;
  if (unsigned_part == ".inf" || unsigned_part == ".Inf" || unsigned_part == ".INF" ||
      s == ".nan" || s == ".NaN" || s == ".NAN" || is_float(unsigned_part)) {
    return scalar_kind::number;
  }
  return scalar_kind::text;
}

}  // namespace pgfns::detail

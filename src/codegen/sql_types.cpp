#include "codegen/sql_types.hpp"

#include "schema/signature.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace pgfns::detail {
namespace {

// The built-in types of typed bindings, by their SQL spellings (words without modifiers).
constexpr std::pair<std::string_view, std::string_view> builtin_types[] = {
    {"smallint", "std::int16_t"},
    {"int2", "std::int16_t"},
    {"integer", "std::int32_t"},
    {"int", "std::int32_t"},
    {"int4", "std::int32_t"},
    {"bigint", "std::int64_t"},
    {"int8", "std::int64_t"},
    {"boolean", "bool"},
    {"bool", "bool"},
    {"real", "float"},
    {"float4", "float"},
    {"double precision", "double"},
    {"float8", "double"},
    {"text", "std::string"},
    {"varchar", "std::string"},
    {"character varying", "std::string"},
    {"char", "std::string"},
    {"character", "std::string"},
    {"bpchar", "std::string"},
    {"name", "std::string"},
    {"uuid", "pgfns::uuid"},
    {"numeric", "pgfns::numeric"},
    {"decimal", "pgfns::numeric"},
    {"timestamptz", "pgfns::timestamptz"},
    {"timestamp with time zone", "pgfns::timestamptz"},
    {"timestamp", "pgfns::timestamp"},
    {"timestamp without time zone", "pgfns::timestamp"},
    {"date", "pgfns::date"},
    {"interval", "pgfns::interval"},
    {"json", "boost::json::value"},
    {"jsonb", "boost::json::value"},
    {"bytea", "pgfns::bytea"},
};

// Quoted, a name is PostgreSQL's internal name of the type ("int4", not "integer").
constexpr std::string_view internal_names[] = {
    "int2",    "int4",     "int8", "bool",  "float4",  "float8",      "text",
    "varchar", "bpchar",   "name", "uuid",  "numeric", "timestamptz", "timestamp",
    "date",    "interval", "json", "jsonb", "bytea"};

bool is_word(const std::vector<token>& t, std::size_t k, std::string_view w) {
  return k < t.size() && t[k].kind == token_kind::word && t[k].text == w;
}
bool is_punct(const std::vector<token>& t, std::size_t k, char c) {
  return k < t.size() && t[k].kind == token_kind::punct && t[k].text.front() == c;
}
bool is_name(const token& t) {
  return t.kind == token_kind::word || t.kind == token_kind::quoted_name;
}

// The bracket opening the group that the bracket at `close` ends.
std::size_t opening_of(const std::vector<token>& t, std::size_t close) {
  const char opener = t[close].text.front() == ')' ? '(' : '[';
  std::size_t k = close;
  while (k-- > 0) {
    if (t[k].depth == t[close].depth && is_punct(t, k, opener)) return k;
  }
  throw std::invalid_argument("unbalanced brackets");
}

std::string_view builtin(std::string_view spelled) {
  for (const auto& [sql, cpp] : builtin_types) {
    if (sql == spelled) return cpp;
  }
  // interval with fields: interval day to second, interval year, ...
  if (spelled.starts_with("interval ")) {
    std::string_view rest = spelled.substr(9);
    while (!rest.empty()) {
      const std::string_view word = rest.substr(0, rest.find(' '));
      if (word != "year" && word != "month" && word != "day" && word != "hour" &&
          word != "minute" && word != "second" && word != "to")
        return {};
      rest.remove_prefix(std::min(rest.size(), word.size() + 1));
    }
    return "pgfns::interval";
  }
  return {};
}

constexpr std::string_view unmapped =
    "has no C++ mapping (neither a type of the typed bindings nor an enum created by a "
    "migration script)";

}  // namespace

std::string type_name_key(const std::vector<token>& t, std::size_t b, std::size_t e) {
  if (e == b + 1 && is_name(t[b])) return t[b].text;
  if (e == b + 3 && is_name(t[b]) && is_punct(t, b + 1, '.') && is_name(t[b + 2])) {
    if (t[b].kind == token_kind::word && t[b].text == "public") return t[b + 2].text;
    return t[b].text + "." + t[b + 2].text;
  }
  return "";
}

mapped_type map_sql_type(std::string_view type, const enum_types& enums) {
  const std::vector<token> t = tokenize(type);
  std::size_t e = t.size();
  // Array bounds from the end: [] or [n], repeated; or ARRAY, ARRAY[n] (one dimension).
  std::size_t dimensions = 0;
  while (e > 0 && is_punct(t, e - 1, ']')) {
    e = opening_of(t, e - 1);
    ++dimensions;
  }
  if (e > 1 && is_word(t, e - 1, "array")) {
    --e;
    dimensions = 1;
  }
  if (dimensions > 1) {
    throw std::invalid_argument(
        "is a multi-dimensional array, which typed bindings do not map (only T[])");
  }
  // The words of the type without modifiers: timestamp(3) with time zone -> timestamp with
  // time zone; numeric(10,2) -> numeric.
  std::string spelled;
  std::vector<std::size_t> name_tokens;
  for (std::size_t k = 0; k < e; ++k) {
    if (t[k].kind == token_kind::op && t[k].text == "%") {
      throw std::invalid_argument(
          "is a %TYPE or %ROWTYPE reference, which typed bindings do not map (write the type)");
    }
    if (t[k].depth != 0 || is_punct(t, k, '(') || is_punct(t, k, ')')) continue;
    name_tokens.push_back(k);
    if (t[k].kind == token_kind::word) spelled += (spelled.empty() ? "" : " ") + t[k].text;
  }
  mapped_type out;
  out.array = dimensions == 1;
  const auto only = [&](std::size_t n) { return name_tokens.size() == n; };
  const auto kind = [&](std::size_t i) { return t[name_tokens[i]].kind; };
  const bool catalog = only(3) && is_word(t, name_tokens[0], "pg_catalog") &&
                       is_punct(t, name_tokens[1], '.') && is_name(t[name_tokens[2]]);
  const bool quoted = (only(1) && kind(0) == token_kind::quoted_name) ||
                      (catalog && kind(2) == token_kind::quoted_name);
  if (quoted) {
    const std::string& name = t[name_tokens.back()].text;
    for (std::string_view internal : internal_names) {
      if (internal == name) out.cpp = builtin(name);
    }
  } else if (catalog) {
    out.cpp = builtin(t[name_tokens[2]].text);
  } else if (std::all_of(name_tokens.begin(), name_tokens.end(),
                         [&](std::size_t k) { return t[k].kind == token_kind::word; })) {
    out.cpp = builtin(spelled);
  }
  if (!out.cpp.empty()) return out;
  // An enum: a name, or schema.name, without modifiers.
  if (!name_tokens.empty() && name_tokens.back() + 1 == e) {
    const std::string key = type_name_key(t, name_tokens.front(), e);
    if (!key.empty() && enums.find(key) != enums.end()) {
      out.cpp = key;
      out.is_enum = true;
      return out;
    }
  }
  throw std::invalid_argument(std::string(unmapped));
}

return_shape parse_returns(std::string_view returns) {
  const std::vector<token> t = tokenize(returns);
  return_shape out;
  if (t.empty()) throw std::invalid_argument("is empty");
  if (t.size() == 1 && is_word(t, 0, "void")) return out;
  if (is_word(t, 0, "setof")) {
    if (t.size() == 1) throw std::invalid_argument("names no type after setof");
    out.kind = return_kind::set;
    out.type = returns.substr(t[1].begin, t.back().end - t[1].begin);
    return out;
  }
  if (is_word(t, 0, "table") && is_punct(t, 1, '(') && is_punct(t, t.size() - 1, ')') &&
      opening_of(t, t.size() - 1) == 1) {
    out.kind = return_kind::table;
    const std::string_view list = returns.substr(t[1].end, t.back().begin - t[1].end);
    signature columns;
    try {
      columns = parse_signature(list);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("has a column list that cannot be read: " +
                                  std::string(e.what()));
    }
    if (columns.parameters.empty()) throw std::invalid_argument("has no columns");
    for (const parameter& p : columns.parameters) {
      if (p.name.empty() || p.mode != parameter_mode::in || p.has_default) {
        throw std::invalid_argument("has a column that is not `name type`: " + shown(p.type));
      }
      out.columns.push_back({p.name, p.type});
    }
    return out;
  }
  out.kind = return_kind::scalar;
  out.type = returns.substr(t.front().begin, t.back().end - t.front().begin);
  return out;
}

}  // namespace pgfns::detail

#include "values/field_decoder.hpp"

#include "values/json_text.hpp"
#include "values/pg_types.hpp"

#include <boost/json/string.hpp>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace pgfns::detail {
namespace json = boost::json;

namespace {

value_kind scalar_kind(oid_t type) noexcept {
  switch (type) {
    case pg_oid::int2:
    case pg_oid::int4:
    case pg_oid::int8:
    case pg_oid::oid:
      return value_kind::integer;
    case pg_oid::float4:
    case pg_oid::float8:
      return value_kind::floating;
    case pg_oid::boolean:
      return value_kind::boolean;
    case pg_oid::json:
    case pg_oid::jsonb:
      return value_kind::json;
    case pg_oid::timestamp:
      return value_kind::timestamp;
    case pg_oid::timestamptz:
      return value_kind::timestamptz;
    default:
      return value_kind::text;
  }
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view s) noexcept {
  for (char c : s)
    if (!is_digit(c)) return false;
  return !s.empty();
}

// Where the space between date and time is in an ISO timestamp ("2024-01-02 03:04:05..."),
// or npos when `text` is not one (infinity, BC, another DateStyle).
std::size_t iso_timestamp_space(std::string_view text) noexcept {
  const auto sp = text.find(' ');
  if (sp == std::string_view::npos || sp < 10) return std::string_view::npos;
  const auto date = text.substr(0, sp);
  if (date[sp - 3] != '-' || date[sp - 6] != '-' || !all_digits(date.substr(0, sp - 6)) ||
      !all_digits(date.substr(sp - 5, 2)) || !all_digits(date.substr(sp - 2)))
    return std::string_view::npos;
  const auto time = text.substr(sp + 1);
  if (time.size() < 8 || time[2] != ':' || time[5] != ':' || time.find(' ') != time.npos)
    return std::string_view::npos;
  return sp;
}

bool is_null_element(std::string_view token) noexcept {
  return token.size() == 4 && (token[0] | 0x20) == 'n' && (token[1] | 0x20) == 'u' &&
         (token[2] | 0x20) == 'l' && (token[3] | 0x20) == 'l';
}

}  // namespace

column_kind classify(oid_t type) noexcept {
  if (const value_kind k = scalar_kind(type); k != value_kind::text) return {k, value_kind::text};
  if (const oid_t element = array_element(type); element != 0)
    return {value_kind::array, scalar_kind(element)};
  return {};  // text
}

json::value field_decoder::decode(column_kind k, std::string_view text) {
  if (k.kind != value_kind::array) return scalar(k.kind, text);
  json::array out(sp_);
  std::string_view in = text;
  if (!in.empty() && in.front() == '[') {  // "[0:1]={...}": bounds other than 1
    const auto eq = in.find('=');
    in.remove_prefix(eq == in.npos ? in.size() : eq + 1);
  }
  if (!parse_array(in, k.element, out, 1) || !in.empty()) return text_value(text);
  return out;
}

json::value field_decoder::scalar(value_kind k, std::string_view text) {
  switch (k) {
    case value_kind::integer: {
      std::int64_t i = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
      if (ec == std::errc() && end == text.data() + text.size()) return json::value(i, sp_);
      return text_value(text);
    }
    case value_kind::floating:
      return floating_value(text);
    case value_kind::boolean:
      if (text == "t") return json::value(true, sp_);
      if (text == "f") return json::value(false, sp_);
      return text_value(text);
    case value_kind::json:
      return json_value(text);
    case value_kind::timestamp:
    case value_kind::timestamptz:
      return timestamp_value(text, k == value_kind::timestamptz);
    case value_kind::text:
    case value_kind::array:
      break;
  }
  return text_value(text);
}

json::value field_decoder::text_value(std::string_view text) const {
  return json::value(json::string(text, sp_));
}

json::value field_decoder::floating_value(std::string_view text) const {
  // PostgreSQL prints the non-finite values as NaN, Infinity and -Infinity. from_chars reads
  // those, and "inf", "nan(...)" in any case, as numbers that JSON cannot hold: they stay text.
  double d = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(d))
    return json::value(d, sp_);
  return text_value(text);
}

json::value field_decoder::json_value(std::string_view text) {
  if (!parser_) parser_.emplace(json::storage_ptr(), depth_limited_options());
  return parse_json_text(*parser_, text, sp_);
}

json::value field_decoder::timestamp_value(std::string_view text, bool with_zone) const {
  const auto space = iso_timestamp_space(text);
  if (space == text.npos) return text_value(text);
  json::string s(sp_);
  s.reserve(text.size() + 3);
  s.append(text);
  s[space] = 'T';
  if (with_zone) {
    // "+05", "-03", "+05:30", "+00:19:32": ISO 8601 wants at least "+HH:MM".
    const auto sign = text.find_first_of("+-", space + 9);
    if (sign != text.npos && text.size() - sign == 3) s.append(":00");
  }
  return s;
}

bool field_decoder::parse_array(std::string_view& in, value_kind element, json::array& out,
                                int depth) {
  if (depth > max_array_dims || in.empty() || in.front() != '{') return false;
  in.remove_prefix(1);
  if (!in.empty() && in.front() == '}') {
    in.remove_prefix(1);
    return true;
  }
  while (!in.empty()) {
    if (in.front() == '{') {
      json::array sub(sp_);
      if (!parse_array(in, element, sub, depth + 1)) return false;
      out.emplace_back(std::move(sub));
    } else if (in.front() == '"') {
      // A quoted element: backslash escapes the next character. Unescape into scratch_ only
      // when there is an escape.
      std::size_t i = 1;
      bool escaped = false;
      while (i < in.size() && in[i] != '"') {
        if (in[i] == '\\') {
          escaped = true;
          ++i;
        }
        ++i;
      }
      if (i >= in.size()) return false;
      std::string_view body = in.substr(1, i - 1);
      if (escaped) {
        scratch_.clear();
        for (std::size_t j = 0; j < body.size(); ++j) {
          if (body[j] == '\\') ++j;
          scratch_.push_back(body[j]);
        }
        body = scratch_;
      }
      out.emplace_back(scalar(element, body));
      in.remove_prefix(i + 1);
    } else {
      const auto end = in.find_first_of(",}");
      if (end == in.npos || end == 0) return false;
      const auto token = in.substr(0, end);
      out.emplace_back(is_null_element(token) ? json::value(sp_) : scalar(element, token));
      in.remove_prefix(end);
    }
    if (in.empty()) return false;
    const char c = in.front();
    in.remove_prefix(1);
    if (c == '}') return true;
    if (c != ',') return false;
  }
  return false;
}

}  // namespace pgfns::detail

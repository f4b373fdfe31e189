#include <pgfns/value.hpp>

#include "values/field_decoder.hpp"
#include "values/pg_types.hpp"

#include <boost/json/serializer.hpp>

#include <charconv>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

namespace pgfns {
namespace json = boost::json;

boost::json::value decode_text(oid_t type, std::string_view text, boost::json::storage_ptr sp) {
  return detail::field_decoder(std::move(sp)).decode(detail::classify(type), text);
}

namespace {

template <class Number>
void append_number(std::string& out, Number n) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

void append_double(std::string& out, double d) {
  if (std::isnan(d))
    out += "NaN";
  else if (std::isinf(d))
    out += d > 0 ? "Infinity" : "-Infinity";
  else
    append_number(out, d);  // shortest text that reads back as the same double
}

// bool and numbers: the same text serves every parameter type, json included.
void append_scalar(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case json::kind::int64:
      append_number(out, v.get_int64());
      break;
    case json::kind::uint64:
      append_number(out, v.get_uint64());
      break;
    case json::kind::double_:
      append_double(out, v.get_double());
      break;
    default:
      break;
  }
}

void append_json(std::string& out, const json::value& v) {
  json::serializer sr;
  sr.reset(&v);
  char buf[1024];
  while (!sr.done()) {
    const auto part = sr.read(buf, sizeof buf);
    out.append(part.data(), part.size());
  }
}

void require_no_nul(std::string_view s) {
  if (std::memchr(s.data(), '\0', s.size()) != nullptr)
    throw std::invalid_argument(
        "pgfns: a string argument contains a NUL byte, which PostgreSQL text cannot hold");
}

// Backslash-escapes '"' and '\' in out[from..] in place: the inside of a quoted array element.
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

// An array literal: every string and object element quoted (so empty strings, "NULL", spaces,
// commas and braces need no further thought), numbers and booleans bare, null as NULL, nested
// arrays as further dimensions. More dimensions than PostgreSQL allows are refused before they
// are written, so that no nesting depth can exhaust the stack.
void append_array_literal(std::string& out, const json::array& a, bool json_elements,
                          int dims = 1) {
  if (dims > detail::max_array_dims)
    throw std::invalid_argument("pgfns: an array argument has more than " +
                                std::to_string(detail::max_array_dims) +
                                " dimensions, PostgreSQL's limit");
  out.push_back('{');
  bool first = true;
  for (const json::value& e : a) {
    if (!first) out.push_back(',');
    first = false;
    switch (e.kind()) {
      case json::kind::null:
        out += "NULL";
        break;
      case json::kind::array:
        append_array_literal(out, e.get_array(), json_elements, dims + 1);
        break;
      case json::kind::string:
      case json::kind::object: {
        out.push_back('"');
        const auto start = out.size();
        if (json_elements || e.is_object()) {
          append_json(out, e);
        } else {
          require_no_nul(e.get_string());
          out.append(e.get_string().data(), e.get_string().size());
        }
        escape_tail(out, start);
        out.push_back('"');
        break;
      }
      default:
        append_scalar(out, e);
        break;
    }
  }
  out.push_back('}');
}

// Whether `v` nests arrays and objects more than `limit` deep. Recurses at most limit + 1
// levels: the serialiser, which recurses once per level, only ever sees what passed.
bool deeper_than(const json::value& v, std::size_t limit) noexcept {
  if (const auto* a = v.if_array()) {
    if (limit == 0) return true;
    for (const json::value& e : *a)
      if (deeper_than(e, limit - 1)) return true;
  } else if (const auto* o = v.if_object()) {
    if (limit == 0) return true;
    for (const auto& e : *o)
      if (deeper_than(e.value(), limit - 1)) return true;
  }
  return false;
}

void require_depth(const json::value& v) {
  if (deeper_than(v, max_json_depth))
    throw std::invalid_argument("pgfns: an argument nests arrays and objects deeper than " +
                                std::to_string(max_json_depth) +
                                " levels, the most pgfns writes (pgfns::max_json_depth)");
}

}  // namespace

bool encode_param(const boost::json::value& v, oid_t type, std::string& out) {
  switch (v.kind()) {
    case json::kind::null:
      return false;
    case json::kind::string:
      if (detail::is_json_type(type)) {
        append_json(out, v);
      } else {
        require_no_nul(v.get_string());
        out.append(v.get_string().data(), v.get_string().size());
      }
      return true;
    case json::kind::array:
      require_depth(v);
      if (const oid_t element = detail::array_element(type); element != 0) {
        append_array_literal(out, v.get_array(), detail::is_json_type(element));
        return true;
      }
      append_json(out, v);
      return true;
    case json::kind::object:
      require_depth(v);
      append_json(out, v);
      return true;
    default:
      append_scalar(out, v);
      return true;
  }
}

}  // namespace pgfns

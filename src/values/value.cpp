#include <pgfns/value.hpp>

#include "values/array_text.hpp"
#include "values/field_decoder.hpp"
#include "values/json_text.hpp"
#include "values/number_text.hpp"
#include "values/pg_types.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

namespace pgfns {
namespace json = boost::json;

boost::json::value decode_text(oid_t type, std::string_view text, boost::json::storage_ptr sp) {
  return detail::field_decoder(std::move(sp)).decode(detail::classify(type), text);
}

namespace {

// bool and numbers: the same text serves every parameter type, json included.
void append_scalar(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case json::kind::int64:
      detail::append_number(out, v.get_int64());
      break;
    case json::kind::uint64:
      detail::append_number(out, v.get_uint64());
      break;
    case json::kind::double_:
      detail::append_floating(out, v.get_double());
      break;
    default:
      break;
  }
}

void require_no_nul(std::string_view s) {
  if (std::memchr(s.data(), '\0', s.size()) != nullptr)
    throw std::invalid_argument(
        "pgfns: a string argument contains a NUL byte, which PostgreSQL text cannot hold");
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
          detail::append_json(out, e);
        } else {
          require_no_nul(e.get_string());
          out.append(e.get_string().data(), e.get_string().size());
        }
        detail::escape_tail(out, start);
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

void require_depth(const json::value& v) {
  if (detail::deeper_than(v, max_json_depth))
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
        detail::append_json(out, v);
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
      detail::append_json(out, v);
      return true;
    case json::kind::object:
      require_depth(v);
      detail::append_json(out, v);
      return true;
    default:
      append_scalar(out, v);
      return true;
  }
}

}  // namespace pgfns

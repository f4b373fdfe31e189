#include "values/json_text.hpp"

#include <pgfns/value.hpp>

#include <boost/json/serializer.hpp>

#include <cmath>
#include <stdexcept>

namespace pgfns::detail {
namespace json = boost::json;

void append_json(std::string& out, const json::value& v) {
  json::serializer sr;
  sr.reset(&v);
  char buf[1024];
  while (!sr.done()) {
    const auto part = sr.read(buf, sizeof buf);
    out.append(part.data(), part.size());
  }
}

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

bool all_finite(const json::value& v) noexcept {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array()) {
    for (const auto& e : v.get_array())
      if (!all_finite(e)) return false;
  } else if (v.is_object()) {
    for (const auto& e : v.get_object())
      if (!all_finite(e.value())) return false;
  }
  return true;
}

json::parse_options depth_limited_options() {
  json::parse_options opt;
  opt.max_depth = max_json_depth;
  return opt;
}

json::value parse_json_text(json::parser& parser, std::string_view text, json::storage_ptr sp,
                            std::string_view suffix) {
  const auto refuse = [suffix](std::string what) {
    what += suffix;
    throw std::invalid_argument(what);
  };
  parser.reset(std::move(sp));
  json::error_code ec;
  parser.write(text, ec);
  if (ec == json::error::too_deep) {
    refuse("JSON nested deeper than " + std::to_string(max_json_depth) +
           " levels, the most pgfns reads (pgfns::max_json_depth)");
  }
  if (ec) refuse("not valid JSON (" + ec.message() + ")");
  json::value v = parser.release();
  if (!all_finite(v))
    refuse("JSON holds a number beyond the range of a double, which pgfns cannot represent");
  return v;
}

}  // namespace pgfns::detail

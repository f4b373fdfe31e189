#include "call_arguments.hpp"

#include "options.hpp"

#include <pgfns/value.hpp>

#include <boost/json/array.hpp>
#include <boost/json/error.hpp>
#include <boost/json/parse.hpp>

#include <cmath>

namespace pgfns::cli {
namespace {

bool json_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Parses `text` as JSON at most max_json_depth deep; on failure returns null and sets `why`.
boost::json::value parse_json(std::string_view text, std::string& why) {
  boost::json::parse_options options;
  options.max_depth = max_json_depth;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec, {}, options);
  if (ec == boost::json::error::too_deep) {
    why = "nested deeper than " + std::to_string(max_json_depth) + " levels, the most pgfns sends";
  } else if (ec) {
    why = ec.message();
  }
  return v;
}

// The digits of an integer, a double would change: Boost.JSON reads integers beyond 64 bits as
// doubles, and numbers beyond a double's range as infinities.
std::string changed_number(std::string_view word, const boost::json::value& v) {
  if (!v.is_double()) return {};
  if (!std::isfinite(v.get_double())) return "a number beyond the range of a double";
  if (word.find_first_of(".eE") == std::string_view::npos)
    return "an integer beyond 64 bits, which a double would round";
  return {};
}

}  // namespace

boost::json::value call_argument(std::string_view word, std::size_t position) {
  const auto name = [&] { return "argument " + std::to_string(position) + " of 'pgfns call'"; };
  std::size_t start = 0;
  while (start < word.size() && json_space(word[start])) ++start;
  const bool json_like =
      start < word.size() && (word[start] == '{' || word[start] == '[' || word[start] == '"');
  std::string why;
  boost::json::value v = parse_json(word, why);
  if (!why.empty()) {
    if (!json_like) return boost::json::string(word);  // plain text
    throw usage_error(name() + " starts with '" + std::string(1, word[start]) +
                      "' but is not valid JSON (" + why +
                      "); text starting with {, [ or \" must be written as a JSON string");
  }
  if (const std::string changed = changed_number(word, v); !changed.empty()) {
    throw usage_error(name() + " is " + changed +
                      "; pass it as a JSON string (e.g. '\"123456789012345678901234\"') for "
                      "PostgreSQL to read");
  }
  return v;
}

boost::json::value call_arguments(std::span<const std::string> words,
                                  const std::optional<std::string>& named) {
  if (named) {
    if (!words.empty()) throw usage_error("--named and positional arguments cannot be mixed");
    std::string why;
    boost::json::value v = parse_json(*named, why);
    if (!why.empty()) throw usage_error("--named is not valid JSON (" + why + ")");
    if (!v.is_object()) throw usage_error("--named must be a JSON object, e.g. '{\"id_in\": 1}'");
    return v;
  }
  boost::json::array positional;
  for (std::size_t i = 0; i < words.size(); ++i)
    positional.push_back(call_argument(words[i], i + 1));
  return positional;
}

}  // namespace pgfns::cli

// How `pgfns call` turns command-line words into the arguments of a call.
#pragma once

#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pgfns::cli {

// One positional argument, `position` counting from 1 after METHOD. A word that starts (after
// JSON whitespace) with '{', '[' or '"' must be JSON nested at most pgfns::max_json_depth deep;
// any other word is a JSON number, true, false or null when it is exactly one (surrounding
// whitespace allowed), and otherwise the string itself. Throws usage_error naming the argument
// for JSON that does not parse, and for a number that a double would change (an integer beyond
// 64 bits, a number beyond a double's range): pass such a number as a JSON string.
boost::json::value call_argument(std::string_view word, std::size_t position);

// The arguments of a call: the object given with --named (which must be a JSON object, parsed
// as above), or else an array of call_argument() for each word. Throws usage_error.
boost::json::value call_arguments(std::span<const std::string> words,
                                  const std::optional<std::string>& named);

}  // namespace pgfns::cli

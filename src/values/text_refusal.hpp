// The refusals of text_format (pgfns/text_format.hpp): std::invalid_argument with a short
// reason and the text refused, cut to its first 40 characters and shown on one line.
#pragma once

#include <string>
#include <string_view>

namespace pgfns::detail {

// `text` in double quotes for a message: at most 40 characters (then "..."), control bytes and
// invalid UTF-8 escaped.
std::string quoted_excerpt(std::string_view text);

// Throws std::invalid_argument("<reason>: \"<text>\"").
[[noreturn]] void refuse_text(std::string_view reason, std::string_view text);

}  // namespace pgfns::detail

// Messages from libpq and the server as one line: libpq ends its messages with a newline and
// puts each host it tried, and each hint, on a line of its own; the server's DETAIL, CONTEXT or
// a RAISE may span several. pgfns reports every error as one line.
#pragma once

#include <string>
#include <string_view>

namespace pgfns::detail {

// `text` without leading or trailing white space, each line break (with the indentation after
// it) as "; ", and any other control character as a space.
std::string error_line(std::string_view text);

}  // namespace pgfns::detail

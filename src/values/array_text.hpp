// The pieces of PostgreSQL's array literal that both the JSON values and text_format write.
#pragma once

#include <cstddef>
#include <string>

namespace pgfns::detail {

// Backslash-escapes '"' and '\' in out[from..] in place: the inside of a quoted array element.
void escape_tail(std::string& out, std::size_t from);

}  // namespace pgfns::detail

// UTF-8: telling valid text from bytes, and showing any bytes safely in a one-line message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pgfns::detail {

// The length of the valid UTF-8 sequence starting at `s[i]` (1 for ASCII), or 0 when it is
// invalid: a stray continuation byte, an overlong form, a surrogate, a code point above
// U+10FFFF, or a sequence cut short.
std::size_t utf8_length(std::string_view s, std::size_t i) noexcept;

// `text` fit to show inside a one-line message: printable ASCII and valid UTF-8 as they are, a
// backslash as `\\`, and the bytes of control characters (C0, DEL, C1) and of anything that is
// not valid UTF-8 as `\xNN`.
std::string printable(std::string_view text);

}  // namespace pgfns::detail

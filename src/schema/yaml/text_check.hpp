// Checks that a file's bytes are text: no NUL byte and valid UTF-8.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pgfns::detail {

// nullopt when `bytes` is NUL-free valid UTF-8 (a leading byte order mark is fine); otherwise a
// message such as "is a binary file (NUL byte on line 3)" or "is not valid UTF-8 (line 2,
// byte 17)".
std::optional<std::string> text_problem(std::string_view bytes);

}  // namespace pgfns::detail

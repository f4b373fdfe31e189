// URL helpers of the test helpers that are not public.
#pragma once

#include <string>
#include <string_view>

namespace pgfns::testing {

// `url` (a postgresql:// URL or a keyword/value string) logging in as `user` with `password`
// instead of its own user and password.
std::string url_with_login(std::string_view url, std::string_view user, std::string_view password);

}  // namespace pgfns::testing

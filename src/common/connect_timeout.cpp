#include "common/connect_timeout.hpp"

#include "common/pq_handle.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace pgfns::detail {

std::optional<std::chrono::milliseconds> connect_timeout_value(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  long long seconds = 0;
  const char* end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, seconds);
  if (value.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  constexpr long long max_seconds = 1000LL * 366 * 24 * 3600;  // far inside milliseconds' range
  if (seconds <= 0) return std::chrono::milliseconds(0);
  return std::chrono::seconds(std::min(seconds, max_seconds));
}

std::optional<std::chrono::milliseconds> connect_timeout_of(std::string_view conninfo) {
  char* raw_err = nullptr;
  conninfo_options_handle parsed(PQconninfoParse(std::string(conninfo).c_str(), &raw_err));
  pq_string_handle err(raw_err);
  if (!parsed) return std::nullopt;
  for (const PQconninfoOption* o = parsed.get(); o->keyword; ++o) {
    if (std::string_view(o->keyword) == "connect_timeout" && o->val && *o->val)
      return connect_timeout_value(o->val);
  }
  return std::nullopt;
}

}  // namespace pgfns::detail

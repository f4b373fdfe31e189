#include "client/routing/lsn.hpp"

#include <pgfns/call_options.hpp>

#include <charconv>

namespace pgfns::detail {

namespace {

// One half of an LSN: 1 to 8 hexadecimal digits and nothing else.
std::optional<std::uint32_t> parse_half(std::string_view text) noexcept {
  if (text.empty() || text.size() > 8) return std::nullopt;
  for (char c : text) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return std::nullopt;
  }
  std::uint32_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v, 16);
  return v;
}

}  // namespace

std::optional<lsn> parse_lsn(std::string_view text) noexcept {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto high = parse_half(text.substr(0, slash));
  const auto low = parse_half(text.substr(slash + 1));
  if (!high || !low) return std::nullopt;
  return lsn{(std::uint64_t{*high} << 32) | *low};
}

std::string to_string(lsn position) {
  char buf[18];
  auto* end = std::to_chars(buf, buf + 8, static_cast<std::uint32_t>(position.value >> 32), 16).ptr;
  *end++ = '/';
  end = std::to_chars(end, buf + sizeof buf, static_cast<std::uint32_t>(position.value), 16).ptr;
  std::string out(buf, end);
  for (char& c : out)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

}  // namespace pgfns::detail

namespace pgfns {

std::string read_position::to_string() const {
  return detail::to_string(detail::lsn{value_});
}

std::optional<read_position> read_position::parse(std::string_view text) noexcept {
  const auto p = detail::parse_lsn(text);
  if (!p) return std::nullopt;
  return read_position(p->value);
}

}  // namespace pgfns

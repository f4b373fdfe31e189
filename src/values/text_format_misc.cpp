// uuid, json and jsonb, and bytea in PostgreSQL's text format.
#include <pgfns/text_format.hpp>
#include <pgfns/value.hpp>

#include "values/json_text.hpp"
#include "values/text_refusal.hpp"

#include <stdexcept>

namespace pgfns {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

// The value of a hexadecimal digit, or -1.
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_hex(std::string& out, std::uint8_t b) {
  out.push_back(hex_digits[b >> 4]);
  out.push_back(hex_digits[b & 0xf]);
}

}  // namespace

// As PostgreSQL's uuid_in: 32 hex digits, a hyphen allowed after any group of four but the
// last, the whole optionally in braces.
uuid uuid::parse(std::string_view text) {
  uuid u;
  std::size_t i = 0;
  const bool braces = !text.empty() && text.front() == '{';
  if (braces) ++i;
  for (std::size_t b = 0; b < u.bytes.size(); ++b) {
    const int hi = i < text.size() ? hex_value(text[i]) : -1;
    const int lo = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
    if (hi < 0 || lo < 0) detail::refuse_text("not a uuid", text);
    u.bytes[b] = static_cast<std::uint8_t>(hi << 4 | lo);
    i += 2;
    if (i < text.size() && text[i] == '-' && b % 2 == 1 && b + 1 < u.bytes.size()) ++i;
  }
  if (braces) {
    if (i >= text.size() || text[i] != '}') detail::refuse_text("not a uuid", text);
    ++i;
  }
  if (i != text.size()) detail::refuse_text("not a uuid", text);
  return u;
}

std::string uuid::str() const {
  std::string out;
  out.reserve(36);
  for (std::size_t b = 0; b < bytes.size(); ++b) {
    if (b == 4 || b == 6 || b == 8 || b == 10) out.push_back('-');
    append_hex(out, bytes[b]);
  }
  return out;
}

void text_format<uuid>::write(const uuid& v, std::string& out) {
  out += v.str();
}

uuid text_format<uuid>::read(std::string_view text) {
  return uuid::parse(text);
}

void text_format<boost::json::value>::write(const boost::json::value& v, std::string& out) {
  if (detail::deeper_than(v, max_json_depth))
    throw std::invalid_argument("JSON nested deeper than " + std::to_string(max_json_depth) +
                                " levels, the most pgfns writes (pgfns::max_json_depth)");
  // The serialiser would write an infinity as 1e99999, which reads back as none.
  if (!detail::all_finite(v))
    throw std::invalid_argument("JSON holds a number that is not finite (NaN or an infinity)");
  detail::append_json(out, v);
}

boost::json::value text_format<boost::json::value>::read(std::string_view text) {
  boost::json::parser parser(boost::json::storage_ptr(), detail::depth_limited_options());
  return detail::parse_json_text(parser, text, {}, ": " + detail::quoted_excerpt(text));
}

void text_format<bytea>::write(const bytea& v, std::string& out) {
  out.reserve(out.size() + 2 + 2 * v.size());
  out += "\\x";
  for (const std::byte b : v) append_hex(out, static_cast<std::uint8_t>(b));
}

bytea text_format<bytea>::read(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x')
    detail::refuse_text("bytea not in hex format (the connection needs bytea_output=hex)", text);
  if (text.size() % 2 != 0) detail::refuse_text("bytea with an odd number of hex digits", text);
  bytea out;
  out.reserve((text.size() - 2) / 2);
  for (std::size_t i = 2; i < text.size(); i += 2) {
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) detail::refuse_text("bytea with a character that is not hex", text);
    out.push_back(static_cast<std::byte>(hi << 4 | lo));
  }
  return out;
}

}  // namespace pgfns

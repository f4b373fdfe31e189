// text_format for bool, the integers and std::string: PostgreSQL's text output of boolean,
// smallint, integer, bigint and text, read back strictly (what the server never prints is
// refused, so a column of another type than the bindings expect is noticed, not misread).
#include <pgfns/text_format.hpp>

#include "values/text_refusal.hpp"

#include <charconv>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace pgfns {
namespace {

using detail::refuse_text;

template <class Int>
void write_integer(Int v, std::string& out) {
  char buf[std::numeric_limits<Int>::digits10 + 3];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Only an optional '-' and decimal digits, as PostgreSQL prints integers.
template <class Int>
Int read_integer(std::string_view text, std::string_view type) {
  Int v{};
  const char* end = text.data() + text.size();
  const auto r = std::from_chars(text.data(), end, v);
  if (r.ec == std::errc::result_out_of_range && r.ptr == end)
    refuse_text("out of range for " + std::string(type), text);
  if (r.ec != std::errc() || r.ptr != end) refuse_text("not an " + std::string(type), text);
  return v;
}

}  // namespace

void text_format<bool>::write(const bool& v, std::string& out) {
  out.push_back(v ? 't' : 'f');
}

bool text_format<bool>::read(std::string_view text) {
  if (text == "t" || text == "true") return true;
  if (text == "f" || text == "false") return false;
  refuse_text("not a boolean", text);
}

void text_format<std::int16_t>::write(const std::int16_t& v, std::string& out) {
  write_integer(v, out);
}
std::int16_t text_format<std::int16_t>::read(std::string_view text) {
  return read_integer<std::int16_t>(text, "int16");
}

void text_format<std::int32_t>::write(const std::int32_t& v, std::string& out) {
  write_integer(v, out);
}
std::int32_t text_format<std::int32_t>::read(std::string_view text) {
  return read_integer<std::int32_t>(text, "int32");
}

void text_format<std::int64_t>::write(const std::int64_t& v, std::string& out) {
  write_integer(v, out);
}
std::int64_t text_format<std::int64_t>::read(std::string_view text) {
  return read_integer<std::int64_t>(text, "int64");
}

void text_format<std::string>::write(const std::string& v, std::string& out) {
  if (const void* nul = std::memchr(v.data(), '\0', v.size())) {
    const auto at = static_cast<const char*>(nul) - v.data();
    throw std::invalid_argument("a text with a NUL byte (at byte " + std::to_string(at + 1) +
                                "), which PostgreSQL text cannot hold");
  }
  out += v;
}

std::string text_format<std::string>::read(std::string_view text) {
  return std::string(text);
}

}  // namespace pgfns

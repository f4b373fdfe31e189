// Numbers as PostgreSQL's text: the shortest text that reads back as the same value, and the
// words PostgreSQL uses for the non-finite floating-point values.
#pragma once

#include <charconv>
#include <cmath>
#include <string>

namespace pgfns::detail {

template <class Number>
void append_number(std::string& out, Number n) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

// NaN, Infinity, -Infinity, or the shortest text that reads back as the same float or double.
template <class Floating>
void append_floating(std::string& out, Floating d) {
  if (std::isnan(d))
    out += "NaN";
  else if (std::isinf(d))
    out += d > 0 ? "Infinity" : "-Infinity";
  else
    append_number(out, d);
}

}  // namespace pgfns::detail

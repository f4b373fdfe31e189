#include "client/pq/statement_text.hpp"

#include "common/sql_text.hpp"

namespace pgfns::detail {
namespace {

std::string call_prefix(std::string_view method) {
  return "select * from " + quote_identifier(method) + "(";
}

void append_placeholder(std::string& out, std::size_t i) {
  out += '$';
  out += std::to_string(i + 1);
}

}  // namespace

std::string positional_call_text(std::string_view method, std::size_t nargs) {
  std::string out = call_prefix(method);
  for (std::size_t i = 0; i < nargs; ++i) {
    if (i) out += ',';
    append_placeholder(out, i);
  }
  return out + ")";
}

std::string named_call_text(std::string_view method, const std::vector<std::string_view>& keys) {
  std::string out = call_prefix(method);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ',';
    out += quote_identifier(keys[i]);
    out += " => ";
    append_placeholder(out, i);
  }
  return out + ")";
}

}  // namespace pgfns::detail

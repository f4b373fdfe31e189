// The SQL text of a call, built once per method and argument shape (never per call):
//   select * from "m"($1,$2)                          positional
//   select * from "m"("a_in" => $1,"b_in" => $2)      named, keys in the order given
#pragma once

#include "common/sql_text.hpp"  // quote_identifier

#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

std::string positional_call_text(std::string_view method, std::size_t nargs);
std::string named_call_text(std::string_view method, const std::vector<std::string_view>& keys);

}  // namespace pgfns::detail

// Facts about JSON values that the value targets check or depend on.
#pragma once

#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>

namespace pgfns::fuzz {

// Levels of nested arrays: 0 for a non-array, 1 for [] or [1], 2 for [[1]].
inline int array_depth(const boost::json::value& v) {
  if (!v.is_array()) return 0;
  int deepest = 0;
  for (const auto& e : v.get_array()) deepest = std::max(deepest, array_depth(e));
  return deepest + 1;
}

// No NaN or infinity anywhere in v (JSON text cannot hold them).
inline bool all_finite(const boost::json::value& v) {
  if (v.is_double()) return std::isfinite(v.get_double());
  if (v.is_array())
    return std::all_of(v.get_array().begin(), v.get_array().end(),
                       [](const auto& e) { return all_finite(e); });
  if (v.is_object())
    return std::all_of(v.get_object().begin(), v.get_object().end(),
                       [](const auto& e) { return all_finite(e.value()); });
  return true;
}

}  // namespace pgfns::fuzz

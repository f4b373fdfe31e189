// The type OIDs the value targets exercise: every type pgfns knows (src/values/pg_types.hpp),
// every array of them, and a few it does not know, which it treats as text.
#pragma once

#include "values/pg_types.hpp"

#include <vector>

namespace pgfns::fuzz {

inline const std::vector<oid_t>& fuzzed_types() {
  static const std::vector<oid_t> types = [] {
    std::vector<oid_t> out;
    for (const auto& t : detail::pg_types) {
      out.push_back(t.oid);
      out.push_back(t.array_oid);
    }
    // unknown, void, refcursor, tsvector, int4range, citext-like user type, and "no type"
    for (oid_t other : {705u, 2278u, 1790u, 3614u, 3904u, 16385u, 0u}) out.push_back(other);
    return out;
  }();
  return types;
}

}  // namespace pgfns::fuzz

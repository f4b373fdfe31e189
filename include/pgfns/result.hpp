// What a call returns: the rows of `select * from "<method>"(...)` as JSON objects, and the
// diagnostics of the call.
#pragma once

#include <pgfns/error.hpp>

#include <boost/json/array.hpp>
#include <boost/json/value_to.hpp>

#include <cstddef>
#include <vector>

namespace pgfns {

struct result {
  // One JSON object per row, column name -> value (see pgfns/value.hpp for the type mapping).
  // A method returning `void` has no rows.
  boost::json::array rows;
  // On success: the method, the pool and the server that answered. On error: what went wrong.
  diagnostics diag;

  std::size_t size() const noexcept { return rows.size(); }
  bool empty() const noexcept { return rows.empty(); }
  const boost::json::object& operator[](std::size_t i) const { return rows.at(i).as_object(); }

  // Every row converted with boost::json::value_to<T> (define tag_invoke for your own T, or
  // use a type Boost.JSON already knows, such as std::map<std::string, boost::json::value>).
  template <class T>
  std::vector<T> as() const {
    std::vector<T> out;
    out.reserve(rows.size());
    for (const boost::json::value& row : rows) out.push_back(boost::json::value_to<T>(row));
    return out;
  }
};

// What a typed call (pgfns/typed_call.hpp) gives: the value and the diagnostics (on success,
// the method, pool and server that answered).
template <class T>
struct typed_result {
  T value{};
  diagnostics diag;
};
template <>
struct typed_result<void> {
  diagnostics diag;
};

}  // namespace pgfns

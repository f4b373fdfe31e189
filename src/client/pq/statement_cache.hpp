// The statements of one database: one per method and argument shape (number of positional
// arguments, or the sequence of named-argument keys), built once and kept for the database's
// life at a stable address. Their parameter types, once described by any connection, serve
// every connection.
#pragma once

#include "client/pq/statement.hpp"

#include <pgfns/schema.hpp>

#include <boost/json/value.hpp>

#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace pgfns::detail {

class statement_cache {
 public:
  // `args` is an array (positional) or an object (named, keys in the order given).
  statement& get(const resolved_method& m, const boost::json::value& args);
  // The positional statement for `nargs` arguments (what typed calls use).
  statement& get(const resolved_method& m, std::size_t nargs);
  std::size_t size() const noexcept { return all_.size(); }

 private:
  struct named_statement {
    std::vector<std::string> keys;
    statement* stmt;
  };
  struct method_statements {
    std::vector<statement*> by_count;  // positional, indexed by argument count
    std::vector<named_statement> named;
  };

  statement& positional(const resolved_method& m, method_statements& entry, std::size_t n);
  statement& add(std::string text, int nparams);

  std::unordered_map<const resolved_method*, method_statements> methods_;
  std::deque<statement> all_;
};

}  // namespace pgfns::detail

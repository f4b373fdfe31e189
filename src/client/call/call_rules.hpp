// The rules a call must pass before any SQL is sent: the method exists, is not deprecated
// (unless asked for explicitly), is not another service's write method, named arguments have
// valid names, and the arguments fit the method's parameters. Pure functions, no I/O.
#pragma once

#include "schema/signature.hpp"

#include <pgfns/monitor.hpp>
#include <pgfns/schema.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace pgfns::detail {

struct rule_check {
  boost::system::error_code ec;  // success, or the errc that refuses the call
  std::string message;           // why, naming the method (and the offending key or service)
  explicit operator bool() const noexcept { return !ec; }
};

// `m` is schema::find_method(name) (nullptr when absent); `service` is the caller's own.
rule_check check_method(const resolved_method* m, std::string_view name, std::string_view service,
                        bool allow_deprecated, int schema_version);

// Named arguments: every key must match ^[a-z0-9_]+_in$.
bool valid_argument_name(std::string_view key) noexcept;
rule_check check_named_arguments(const boost::json::object& args, std::string_view method);

// `args` (an array: positional; an object: named) fit `sig`, the parameters of `method`:
// - positional: at least the input parameters without a default, at most all the input
//   parameters (no limit with a VARIADIC one);
// - named: valid names (check_named_arguments), each the name of an input parameter, every
//   input parameter without a default named, and no VARIADIC parameter (PostgreSQL matches a
//   variadic function to named arguments only when the call says VARIADIC). An empty object
//   is a call without arguments.
// Refusals are errc::bad_arguments naming the method and its parameters.
rule_check check_arguments(const signature& sig, std::string_view method,
                           const boost::json::value& args);

// Where a call of a method in `mode` goes: write methods to the write pool; read methods to the
// read pool, or to the write pool while the read pool's server is down and fallback is allowed.
pool_role choose_pool(method_mode mode, bool read_pool_down, bool read_fallback) noexcept;

}  // namespace pgfns::detail

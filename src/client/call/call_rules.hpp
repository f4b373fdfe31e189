// The rules a call must pass before any SQL is sent: the method exists, is not deprecated
// (unless asked for explicitly), is not another service's write method, and named arguments
// have valid names. Pure functions, no I/O.
#pragma once

#include <pgfns/monitor.hpp>
#include <pgfns/schema.hpp>

#include <boost/json/object.hpp>
#include <boost/system/error_code.hpp>

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

// Where a call of a method in `mode` goes: write methods to the write pool; read methods to the
// read pool, or to the write pool while the read pool's server is down and fallback is allowed.
pool_role choose_pool(method_mode mode, bool read_pool_down, bool read_fallback) noexcept;

}  // namespace pgfns::detail

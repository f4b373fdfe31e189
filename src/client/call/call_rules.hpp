// The rules a call must pass before any SQL is sent: the method exists (else the closest known
// name is suggested), is not deprecated (unless asked for explicitly), is not another service's
// write method, named arguments have valid names, and the arguments fit the method's
// parameters; for a typed call, the bindings were generated for the method's signature. Pure
// functions, no I/O.
#pragma once

#include "schema/signature.hpp"

#include <pgfns/monitor.hpp>
#include <pgfns/schema.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace pgfns::detail {

struct rule_check {
  boost::system::error_code ec;  // success, or the errc that refuses the call
  std::string message;           // why, naming the method (and the offending key or service)
  explicit operator bool() const noexcept { return !ec; }
};

// `m` is schema::find_method(name) (nullptr when absent); `service` is the caller's own;
// `known` is every method of the schema (schema::methods()), for suggesting a name when `m` is
// nullptr.
rule_check check_method(const resolved_method* m, std::string_view name, std::string_view service,
                        bool allow_deprecated, int schema_version,
                        std::span<const resolved_method> known);

// The method of `known` whose name is closest to `name` (case ignored; each insertion,
// deletion, substitution or swap of two neighbouring characters is one edit), when it is at
// most max(length of name, 3) / 3 edits away; nullptr otherwise. A suggestion is meant to be
// the name to write instead, not the next refusal, so only methods this same call could reach
// are suggested: never another service's write method (refused whatever the spelling), nor a
// deprecated method unless `allow_deprecated`. And when such a method is closer than any the
// call could reach, the caller most likely meant it: nothing is suggested rather than a
// method further away. Ties go to the first name in `known`.
const resolved_method* closest_method(std::span<const resolved_method> known, std::string_view name,
                                      std::string_view service, bool allow_deprecated);

// Edits between `a` and `b` as closest_method counts them (ASCII letters compared without
// case), or `limit + 1` when it exceeds `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

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
// `given` positional arguments fit `sig` (as check_arguments counts them).
rule_check check_argument_count(const signature& sig, std::string_view method, std::size_t given);

// Typed bindings were generated for a method's `args` and `returns` text: they must be the
// schema's, else errc::binding_mismatch naming both (on one line).
rule_check check_binding(const method& def, std::string_view args, std::string_view returns);
// What a typed call of a deprecated method through bindings not marked deprecated is told.
std::string deprecated_binding_message(std::string_view method);
// "argument 2 (b_in): <reason>; not sent": the argument at `index` (from 0) of a positional
// call of `sig` could not be encoded.
std::string argument_refused(const signature& sig, std::size_t index, std::string_view reason);

}  // namespace pgfns::detail

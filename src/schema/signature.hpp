// A method's signature: its `args` (the SQL argument list of `create function`) parsed into
// parameters, so that calls with the wrong arguments can be refused before any SQL is sent.
// Pure functions, no I/O.
//
// The grammar is PostgreSQL's for function parameters:
//   [ IN | OUT | INOUT | VARIADIC ] [ name ] type [ { DEFAULT | = } expression ]
// (the mode may also follow the name). Names are folded to lowercase unless quoted; a type is a
// name (optionally schema-qualified, with modifiers such as numeric(10,2), or tbl.col%type),
// one of SQL's multi-word types (double precision, character varying(n), timestamp(3) with
// time zone, interval day to second, ...), followed by array bounds ([], [3], array).
// Comments, string literals, quoted names and dollar quotes are understood, so commas and
// parentheses inside them do not split parameters. What PostgreSQL would refuse when the
// function is created is refused here too: a default on an OUT parameter, an input parameter
// without a default after one with a default, a VARIADIC parameter that is not the last input,
// a name used twice.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

enum class parameter_mode { in, out, inout, variadic };
std::string_view to_string(parameter_mode m) noexcept;

struct parameter {
  std::string name;  // as PostgreSQL stores it (unquoted names in lowercase); "" when unnamed
  std::string type;  // as written, with every run of spaces, newlines and comments one space
  parameter_mode mode = parameter_mode::in;
  bool has_default = false;

  // Whether a call passes a value for it (every mode but OUT).
  bool is_input() const noexcept { return mode != parameter_mode::out; }
};

struct signature {
  static constexpr std::size_t unbounded = std::numeric_limits<std::size_t>::max();

  std::vector<parameter> parameters;  // in order, OUT parameters included
  std::size_t min_args = 0;           // input parameters without a default
  std::size_t max_args = 0;           // input parameters, or `unbounded` with a VARIADIC one
  bool variadic = false;              // the last input parameter is VARIADIC
};

// Parses `args` ("" or only spaces and comments: no parameters). Throws std::invalid_argument
// saying which parameter is at fault and why, e.g. `parameter 2 ("b_in numeric(10"): "(" is
// never closed`.
signature parse_signature(std::string_view args);

// The input parameters for messages: "a_in integer, [b_in text], variadic c_in text[]"
// (optional ones in brackets, unnamed ones by type alone).
std::string describe_inputs(const signature& s);

}  // namespace pgfns::detail

// Typed bindings: the C++ header `pgfns generate` writes for one service of a schema, so that
// the compiler checks every call (README, "Typed bindings"; the runtime side is
// pgfns/typed_call.hpp).
#pragma once

#include <pgfns/schema.hpp>

#include <stdexcept>
#include <string>

namespace pgfns {

struct codegen_options {
  std::string service;  // a service of the schema ('-' and '_' alike)
  std::string ns;       // the C++ namespace of the bindings, e.g. "shop" or "acme::db"
  std::string source;   // where the schema came from, named in the header's first line
};

// What the schema holds that typed bindings cannot express: a type with no C++ mapping, an
// OUT, INOUT or VARIADIC argument, two names that would be one C++ name. One line naming the
// method, the argument or column, and the type.
class codegen_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The header for `options.service` in namespace `options.ns`: its read and write methods and
// every other service's read methods, the deprecated ones in a nested `deprecated` namespace,
// row structs, the enums they use. The same schema and options always give the same text.
// Throws std::invalid_argument for options that cannot be used (a service the schema does not
// have, naming those it has; a namespace that is not a C++ namespace name) and codegen_error
// for a schema that cannot be generated.
std::string generate_bindings(const schema& s, const codegen_options& options);

}  // namespace pgfns

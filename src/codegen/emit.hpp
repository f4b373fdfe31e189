// The text of a generated header (README, "Typed bindings"), from its model: emit.cpp writes
// the header, its enums, row structs and traits; emit_functions.cpp the bindings and the call
// functions. Lines are wrapped at 100 columns; the same model always gives the same text.
#pragma once

#include "codegen/bindings_model.hpp"

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

std::string emit_header(const bindings_model& m);

// `head` + items joined by ", " + `tail` on one line when it fits in 100 columns; otherwise
// `head`, then the items on lines indented by `indent` (as many per line as fit when `fill`,
// else one per line), then `tail`.
std::string list_text(std::string_view head, const std::vector<std::string>& items,
                      std::string_view tail, std::size_t indent, bool fill = false);

// The names a scope declares that hide names of the service's namespace (a member or an
// argument named like an enum or a row struct): types named so are written fully qualified.
using hiding_names = std::set<std::string, std::less<>>;

// "::ns::service::id", or "::ns::service::deprecated::id".
std::string qualified(const bindings_model& m, std::string_view id, bool deprecated);

// The C++ value type of a field or result (without std::optional).
std::string type_text(const bindings_model& m, const type_ref& t, const hiding_names& hidden);

// The namespace-scope declarations of the methods given (all deprecated or none): bindings and
// call functions.
std::string emit_functions(const bindings_model& m,
                           const std::vector<const method_model*>& methods);

}  // namespace pgfns::detail

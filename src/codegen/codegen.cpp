#include <pgfns/codegen.hpp>

#include "codegen/bindings_model.hpp"
#include "codegen/emit.hpp"

namespace pgfns {

std::string generate_bindings(const schema& s, const codegen_options& options) {
  return detail::emit_header(detail::build_model(s, options));
}

}  // namespace pgfns

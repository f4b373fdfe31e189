// Compiles: the schema layer depends on common (the control for layering.schema_includes_client).
#include "common/url_redact.hpp"

namespace pgfns::detail {
std::string layering_probe() {
  return redact_connection_string("host=h");
}
}  // namespace pgfns::detail

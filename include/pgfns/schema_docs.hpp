// Generated documentation of a schema's methods (what `pgfns schema docs` prints).
#pragma once

#include <pgfns/schema.hpp>

#include <string>

namespace pgfns {

// Markdown: per service (sorted), each current method sorted by name with its mode, arguments,
// return type, the version that last defined it and its description; then a "Deprecated
// methods" section listing the deprecated ones, sorted by name, with their service.
std::string methods_markdown(const schema& s);

}  // namespace pgfns

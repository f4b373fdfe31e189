// Generated documentation of a schema: its methods, tables and versions (what `pgfns schema
// docs` prints).
#pragma once

#include <pgfns/schema.hpp>

#include <string>

namespace pgfns {

// Markdown: per service (sorted), each current method sorted by name with its mode, arguments,
// return type, the version that last defined it and its description; then a "Deprecated
// methods" section listing the deprecated ones, sorted by name, with their service.
std::string methods_markdown(const schema& s);

// Markdown: a "Tables" section with, per table of tables.yml (in file order), its columns and
// their types as written there (`text not null`).
std::string tables_markdown(const schema& s);

// Markdown: a "Versions" section, a table of each version's number (four digits, as its file is
// named) and description, like Taskcluster's versions/README.md.
std::string versions_markdown(const schema& s);

// The three above, in that order, separated by a blank line.
std::string schema_markdown(const schema& s);

}  // namespace pgfns

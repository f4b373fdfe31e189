// The enum types a schema's migration scripts create, as they stand at its latest version:
// what typed bindings map an enum-typed argument or column to.
#pragma once

#include "codegen/sql_types.hpp"

#include <pgfns/schema.hpp>

#include <string_view>

namespace pgfns::detail {

// Applies the enum statements of one script to `enums`, in order:
//   create type X as enum ('a', 'b')
//   alter type X add value [if not exists] 'c' [before | after 'b']
//   alter type X rename value 'a' to 'z'      alter type X rename to Y
//   drop type [if exists] X [, Y ...]
// Comments, string literals and dollar-quoted bodies are skipped, so text inside them never
// counts; `$db_user_prefix$` is read as a name. Other statements are ignored. Throws
// std::invalid_argument ("line N: ...") for a script that cannot be read.
void scan_enum_statements(std::string_view script, enum_types& enums);

// Every version's migration script in order. Throws codegen_error naming the version.
enum_types scan_enums(const schema& s);

}  // namespace pgfns::detail

// YAML text -> raw schema parts. The implementation (schema_yaml_nodes.cpp) is, with
// schema_yaml.cpp, the only code that sees yaml-cpp; this header does not include it.
#pragma once

#include "schema/schema_raw.hpp"

#include <functional>
#include <string>
#include <string_view>

namespace pgfns::detail {

// Turns a script or body as written (inline SQL, or the name of a .sql file in versions/) into
// its text; throws schema_error naming `where` and `field`.
using script_resolver =
    std::function<std::string(const location& where, const std::string& field, std::string)>;

// What a plain (unquoted, untagged) scalar means under the YAML 1.2 core schema; `tagged` is
// for scalars with an explicit tag, which the schema format does not use.
enum class scalar_kind { text, null, boolean, integer, number, tagged };
scalar_kind resolve_plain(std::string_view s);
bool is_decimal(std::string_view s);  // [0-9]+

// The number of documents in the YAML stream `text`, counted without building them. Throws
// schema_error naming `where` for a stray token that yaml-cpp's own loaders would not report
// (schema_yaml_stream.cpp), and lets yaml-cpp's exceptions through.
std::size_t count_yaml_documents(const location& where, const std::string& text);
// Throws schema_error "YAML syntax error at line L, column C: message" naming `where`; `line`
// and `column` count from 0, as yaml-cpp's do, and are left out when `line` is negative.
[[noreturn]] void fail_yaml_syntax(const location& where, int line, int column,
                                   const std::string& message);

// Parses versions/NNNN.yml (`file` as named in errors); `number` comes from the file name.
raw_version parse_version_yaml(const std::string& file, const std::string& text, int number,
                               const script_resolver& resolve);
// Parses access.yml / tables.yml into `raw`.
void parse_access_yaml(const std::string& file, const std::string& text, raw_schema& raw);
void parse_tables_yaml(const std::string& file, const std::string& text, raw_schema& raw);

}  // namespace pgfns::detail

// Reading the schema a command names: a schema directory or a JSON file written by
// `pgfns schema json`.
#pragma once

#include "command.hpp"

#include <pgfns/schema.hpp>

#include <string>

namespace pgfns::cli {

// Loads and checks `path`; prints the schema's warnings on io.err as `warning: ...` lines.
// Errors name the file: relative to the directory for a directory, the path for a JSON file.
schema load_schema(const std::string& path, const output& io);

// The whole file; throws std::runtime_error naming it when it cannot be opened or read.
std::string read_file(const std::string& path);

}  // namespace pgfns::cli

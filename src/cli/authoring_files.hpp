// What `pgfns new-version` (authoring.cpp) and `pgfns renumber` (renumber.cpp) share: version
// numbers in file names, and reading and creating the files of a schema directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace pgfns::cli::authoring::detail {

// The number written in `digits` (at most 9 of them); nullopt for anything else.
std::optional<int> parse_number(std::string_view digits);
// `number` with at least four digits: 12 -> "0012".
std::string padded(int number);
// "versions/<name>", for messages.
std::string in_versions(std::string_view name);
// The whole of `file`; throws std::runtime_error saying why it cannot be read.
std::string read_whole(const std::filesystem::path& file);
// Creates `file` with `text`; refuses to replace an existing file (EEXIST).
void create_exclusive(const std::filesystem::path& file, const std::string& text);
// Throws std::runtime_error unless `dir` is a directory with a versions/ directory.
void require_schema_dir(const std::filesystem::path& dir);

}  // namespace pgfns::cli::authoring::detail

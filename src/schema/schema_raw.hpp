// The schema as read from a source (YAML directory or JSON document), before the semantic
// checks. Both readers check the shape of their input (types, unknown keys) and fill these
// structures; schema_builder::build() then runs every semantic check, shared by both sources,
// and produces the immutable pgfns::schema.
#pragma once

#include <pgfns/schema.hpp>
#include <pgfns/schema_error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgfns::detail {

// Where a part of the schema came from: the file named in errors, and the path of that part
// inside it ("" for a YAML file, "versions[3]" or "access" inside a JSON document).
struct location {
  std::string file;
  std::string prefix;

  // `prefix` joined with `field` by a dot; either may be empty.
  std::string field(std::string_view field) const;
  [[noreturn]] void fail(std::string_view field, std::string message) const;
};

// One method entry as written: every field optional, so that the shared checks decide what is
// missing, what is a stub and what is unknown to the format.
struct raw_method {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> mode;
  std::optional<std::string> service_name;
  std::optional<std::string> args;
  std::optional<std::string> returns;
  std::optional<std::string> body;  // text (a named .sql file already read in)
  std::optional<bool> deprecated;
};

struct raw_version {
  location where;
  int number = 0;
  std::string description;
  std::optional<std::string> migration_script;  // text (a named .sql file already read in)
  std::optional<std::string> downgrade_script;
  std::vector<raw_method> methods;  // in source order, duplicates kept
};

using raw_table_grants = std::vector<std::pair<std::string, std::string>>;  // table -> "read"...

struct raw_schema {
  location versions_where;            // where a missing version is reported
  std::vector<raw_version> versions;  // any order; numbers checked by build()
  location access_where;
  std::vector<std::pair<std::string, raw_table_grants>> access;  // service -> tables
  location tables_where;
  std::vector<table_columns> tables;
};

// A version number and where it was declared, for check_version_numbers().
struct numbered_source {
  int number = 0;
  std::string label;  // "001.yml" or "versions[0]": how messages refer to it
  std::string file;   // where a duplicate is reported
  std::string field;
};

// Versions must be 1..N, each once. Reports a duplicate at the second source naming both, and a
// gap as `gap_file`/`gap_field` naming the neighbours ("version 2 is missing (have 001.yml,
// 003.yml)"), and an empty list as "no versions". Used on file names before any file is parsed
// and on the numbers of a JSON document.
void check_version_numbers(std::vector<numbered_source> sources, const std::string& gap_file,
                           const std::string& gap_field);

// Strict checks on identifiers shared by the readers and the builder.
bool is_method_name(std::string_view name) noexcept;   // ^[a-z0-9_]+$
bool is_service_name(std::string_view name) noexcept;  // ^[a-z0-9_-]+$

}  // namespace pgfns::detail

namespace pgfns {

class schema_builder {
 public:
  // Runs every semantic check on `raw` (throws schema_error) and builds the schema.
  static schema build(detail::raw_schema raw);

 private:
  static void resolve(schema& s);
};

}  // namespace pgfns

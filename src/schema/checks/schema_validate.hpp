// The semantic checks run by schema_builder::build() on every schema, whatever its source.
#pragma once

#include "schema/schema_raw.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace pgfns::detail {

// Refuses text PostgreSQL cannot store (a NUL character).
void check_text(const location& where, std::string_view field, std::string_view text);

// Checks version numbers, scripts and each method entry; sorts `raw` by number and appends the
// checked versions to `out` (same order as `raw` afterwards).
void check_versions(std::vector<raw_version>& raw, const location& versions_where,
                    std::vector<version>& out);

// Procedures are forever: redefinitions keep mode, serviceName, args and returns; stubs only for
// defined methods; a deprecated method is deprecated at the latest version. `raw` gives the
// locations of `versions` (same order).
void check_history(const std::vector<raw_version>& raw, const std::vector<version>& versions,
                   std::vector<std::string>& warnings);

// access.yml and tables.yml, and that every method's service has an access entry.
void check_access(raw_schema& raw, const std::vector<version>& versions,
                  std::vector<service_access>& access, std::vector<table_columns>& tables,
                  std::vector<std::string>& warnings);

}  // namespace pgfns::detail

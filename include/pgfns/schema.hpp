// The schema: what a `db/` directory declares (versions, methods, access, tables).
// A schema is validated when it is built (from YAML or from JSON) and immutable afterwards.
#pragma once

#include <pgfns/schema_error.hpp>

#include <boost/json/value.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgfns {

enum class method_mode { read, write };
std::string_view to_string(method_mode m) noexcept;

// One method entry as written in one version file.
struct method {
  std::string name;
  // A stub is `{deprecated: true}` alone: it keeps the earlier definition and marks it
  // deprecated. For a stub every other field below is empty.
  bool stub = false;
  bool deprecated = false;
  std::string description;
  method_mode mode = method_mode::read;
  std::string service_name;  // as written, with underscores (`worker_manager`)
  std::string args;          // SQL argument list, "" for none
  std::string returns;       // SQL return type
  std::string body;          // PL/pgSQL, with a named .sql file already read in
};

struct version {
  int number = 0;
  std::string description;
  // Both or neither; text of the script (a named .sql file already read in).
  std::optional<std::string> migration_script;
  std::optional<std::string> downgrade_script;
  std::vector<method> methods;  // in file order
};

// A method's final definition at some version: stubs resolved to the body they deprecate.
struct resolved_method {
  method definition;         // never a stub; `deprecated` is the state at that version
  int defined_in = 0;        // the version that last defined the body
  int first_defined_in = 0;  // the version that introduced the method
};

enum class table_access { read, write };
std::string_view to_string(table_access a) noexcept;

struct service_access {
  std::string name;  // as written in access.yml (may contain dashes)
  std::vector<std::pair<std::string, table_access>> tables;  // in file order
};

struct table_columns {
  std::string name;
  std::vector<std::pair<std::string, std::string>> columns;  // column -> "<type>[ not null]"
};

// Turns a service name into its Postgres user name: `<prefix>_<service, '-' -> '_'>`.
std::string service_user_name(std::string_view prefix, std::string_view service);
// Normalises a service name for comparisons between methods and access.yml ('-' -> '_').
std::string normalize_service_name(std::string_view service);

class schema {
 public:
  // Loads and validates `dir` (containing versions/, access.yml, tables.yml).
  // Throws schema_error naming the file (relative to dir) and field on any problem.
  static schema from_db_directory(const std::filesystem::path& dir);
  // Builds from the JSON form produced by to_json(); runs the same checks.
  // Throws schema_error (file "<json>" or the given source name).
  static schema from_json(const boost::json::value& json, std::string_view source = "<json>");
  static schema from_json_text(std::string_view text, std::string_view source = "<json>");

  boost::json::value to_json() const;
  std::string to_json_text() const;  // serialize(to_json())

  int latest_version() const noexcept { return static_cast<int>(versions_.size()); }
  const std::vector<version>& versions() const noexcept { return versions_; }
  // nullptr when absent.
  const version* find_version(int number) const noexcept;
  // The final definition of `name` at the latest version; nullptr when there is no such method.
  const resolved_method* find_method(std::string_view name) const noexcept;
  // Every method that exists at `at_version` (1..latest), sorted by name; throws
  // std::out_of_range naming the valid range for any other version.
  std::vector<resolved_method> all_methods(int at_version) const;
  // all_methods(latest_version()), computed once.
  const std::vector<resolved_method>& methods() const noexcept { return latest_methods_; }

  const std::vector<service_access>& access() const noexcept { return access_; }
  const std::vector<table_columns>& tables() const noexcept { return tables_; }
  // Every service named by access.yml or by a method, normalised with underscores, sorted.
  std::vector<std::string> services() const;
  // Problems that do not make the schema unusable but deserve attention (e.g. "access.yml:
  // declares no services; ..."). Computed by the same checks for YAML and JSON; not serialised.
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }

 private:
  std::vector<version> versions_;
  std::vector<service_access> access_;
  std::vector<table_columns> tables_;
  std::vector<resolved_method> latest_methods_;            // sorted by name
  std::map<std::string, std::size_t, std::less<>> index_;  // name -> latest_methods_ index
  std::vector<std::string> warnings_;

  friend class schema_builder;
};

}  // namespace pgfns

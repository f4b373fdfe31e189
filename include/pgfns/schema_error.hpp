// The error thrown when a schema (YAML directory or JSON document) is invalid.
#pragma once

#include <stdexcept>
#include <string>

namespace pgfns {

// `file` is relative to the schema directory (e.g. "versions/0002.yml", "access.yml"), or the
// source name of a JSON document. `field` locates the problem inside it (e.g.
// "methods.get_widgets.mode"); it may be empty when the whole file is at fault.
class schema_error : public std::runtime_error {
 public:
  schema_error(std::string file, std::string field, std::string message);

  const std::string& file() const noexcept { return file_; }
  const std::string& field() const noexcept { return field_; }
  const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  std::string field_;
  std::string message_;
};

}  // namespace pgfns

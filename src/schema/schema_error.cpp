#include <pgfns/schema_error.hpp>

#include <utility>

namespace pgfns {
namespace {

std::string describe(const std::string& file, const std::string& field,
                     const std::string& message) {
  std::string out = file;
  if (!field.empty()) {
    out += ": ";
    out += field;
  }
  out += ": ";
  out += message;
  return out;
}

}  // namespace

schema_error::schema_error(std::string file, std::string field, std::string message)
    : std::runtime_error(describe(file, field, message)),
      file_(std::move(file)),
      field_(std::move(field)),
      message_(std::move(message)) {}

}  // namespace pgfns

// Fuzzes schema::from_json_text with arbitrary text. The only allowed failure is schema_error;
// a schema that loads must pass check_loaded(), including the round trip through its JSON form.
#include "fuzz_support.hpp"
#include "schema_checks.hpp"

#include <pgfns/schema.hpp>

#include <cstdint>
#include <exception>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const pgfns::schema s = pgfns::schema::from_json_text(input, "fuzz.json");
    pgfns::fuzz::check_loaded(s);
  } catch (const pgfns::schema_error& e) {
    // the documented outcome for a bad document
    pgfns::fuzz::check_error(e);
  } catch (const std::exception& e) {
    pgfns::fuzz::finding("from_json_text threw something other than schema_error", e.what());
  }
  return 0;
}

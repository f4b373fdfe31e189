// The properties every schema that loads must have, whatever its source: lookups agree with
// the method list, no version loses a method, the generated docs and the JSON form can be
// made, and the JSON form loads again into a schema with the identical JSON form.
#pragma once

#include "fuzz_support.hpp"

#include <pgfns/schema.hpp>
#include <pgfns/schema_docs.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <string>

namespace pgfns::fuzz {

inline void check_lookups(const schema& s) {
  for (const resolved_method& m : s.methods()) {
    require(!m.definition.stub, "a resolved method is a stub", m.definition.name);
    require(s.find_method(m.definition.name) == &m, "find_method disagrees with methods()",
            m.definition.name);
  }
  require(s.find_version(0) == nullptr && s.find_version(s.latest_version() + 1) == nullptr,
          "find_version finds a version outside 1..latest");
  std::size_t previous = 0;
  for (int v = 1; v <= s.latest_version(); ++v) {
    require(s.find_version(v) != nullptr && s.find_version(v)->number == v,
            "find_version(v) is not version v", std::to_string(v));
    const std::size_t count = s.all_methods(v).size();
    require(count >= previous, "a method disappears at version", std::to_string(v));
    previous = count;
  }
  require(previous == s.methods().size(), "all_methods(latest) differs from methods()");
  const auto services = s.services();
  require(std::adjacent_find(services.begin(), services.end(), std::greater_equal<>()) ==
              services.end(),
          "services() is not sorted and distinct");
  (void)schema_markdown(s);
}

// The JSON form of a loaded schema must load again and serialise to the same text.
inline void check_json_round_trip(const schema& s) {
  const std::string text = s.to_json_text();
  require(s.to_json() == boost::json::parse(text), "to_json_text() is not serialize(to_json())");
  try {
    const schema again = schema::from_json_text(text);
    const std::string text_again = again.to_json_text();
    require(text_again == text, "the JSON form changes when loaded again",
            "first:  " + text + "\n  second: " + text_again);
    require(again.warnings().size() == s.warnings().size(),
            "the JSON form loads with a different number of warnings");
  } catch (const schema_error& e) {
    finding("the JSON form of a loaded schema does not load", e.what());
  }
}

// Errors say what failed and where.
inline void check_error(const schema_error& e) {
  require(!e.file().empty() && !e.message().empty(), "a schema_error without file or message",
          e.what());
}

inline void check_loaded(const schema& s) {
  check_lookups(s);
  check_json_round_trip(s);
}

}  // namespace pgfns::fuzz

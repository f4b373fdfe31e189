// SQL-injection attempts, for the tests that pass hostile text where pgfns expects a value, a
// named argument's key or a method name: quotes of every kind, statement separators, comment
// openers, dollar quotes and tags, backslash escapes, NUL bytes, Unicode look-alikes of quotes
// and semicolons, invalid UTF-8, and texts aimed at the canary table `canary`.
#pragma once

#include <string>
#include <vector>

namespace pgfns::test {

struct injection_string {
  std::string text;
  // True when PostgreSQL's `text` can hold it (valid UTF-8 without NUL): as a value it must
  // come back byte for byte. Otherwise the call must be refused and store nothing.
  bool storable = true;
};

// Every entry differs from every other; none is a name in any schema of the tests.
const std::vector<injection_string>& injection_corpus();

}  // namespace pgfns::test

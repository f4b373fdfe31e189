// What every fuzz target shares: how a finding is reported. A finding aborts, so that libFuzzer
// saves the input as a reproducer (crash-<sha1>) and the run fails.
#pragma once

#include <cstdlib>
#include <iostream>
#include <string_view>

namespace pgfns::fuzz {

[[noreturn]] inline void finding(std::string_view what, std::string_view detail = {}) {
  std::cerr << "\npgfns fuzz finding: " << what;
  if (!detail.empty()) std::cerr << "\n  " << detail;
  std::cerr << std::endl;
  std::abort();
}

inline void require(bool ok, std::string_view what, std::string_view detail = {}) {
  if (!ok) finding(what, detail);
}

}  // namespace pgfns::fuzz

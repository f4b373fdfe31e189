// `--name value` command-line options for the benchmark programs.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::bench {

class options {
 public:
  // `known` maps each accepted option (without "--") to its default value ("" = none);
  // `flags` are options without a value, "on" when given and "off" otherwise.
  // Throws std::invalid_argument naming an unknown option or one without a value.
  options(int argc, char** argv, std::map<std::string, std::string, std::less<>> known,
          const std::vector<std::string>& flags = {});

  const std::string& text(std::string_view name) const;
  // Throws std::invalid_argument unless the value is an integer in [min, max].
  long integer(std::string_view name, long min, long max) const;
  double number(std::string_view name, double min, double max) const;
  bool flag(std::string_view name) const { return text(name) == "on"; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace pgfns::bench

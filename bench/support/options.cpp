#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>
#include <string>

namespace pgfns::bench {

options::options(int argc, char** argv, std::map<std::string, std::string, std::less<>> known,
                 const std::vector<std::string>& flags)
    : values_(std::move(known)) {
  for (const auto& f : flags) values_[f] = "off";
  for (int i = 1; i < argc; i += 2) {
    const std::string_view arg = argv[i];
    const bool is_flag = arg.starts_with("--") &&
                         std::find(flags.begin(), flags.end(), arg.substr(2)) != flags.end();
    if (is_flag) {
      values_.find(arg.substr(2))->second = "on";
      --i;  // a flag takes no value
      continue;
    }
    if (!arg.starts_with("--") || !values_.contains(arg.substr(2))) {
      throw std::invalid_argument("unknown option '" + std::string(arg) + "'");
    }
    if (i + 1 >= argc)
      throw std::invalid_argument("option '" + std::string(arg) + "' needs a value");
    values_.find(arg.substr(2))->second = argv[i + 1];
  }
}

const std::string& options::text(std::string_view name) const {
  const auto it = values_.find(name);
  if (it == values_.end())
    throw std::logic_error("option --" + std::string(name) + " not declared");
  return it->second;
}

long options::integer(std::string_view name, long min, long max) const {
  const std::string& s = text(name);
  long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < min || v > max) {
    throw std::invalid_argument("--" + std::string(name) + ": expected an integer in " +
                                std::to_string(min) + ".." + std::to_string(max) + ", got '" + s +
                                "'");
  }
  return v;
}

double options::number(std::string_view name, double min, double max) const {
  const std::string& s = text(name);
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (s.empty() || used != s.size() || !(v >= min && v <= max)) {
    throw std::invalid_argument("--" + std::string(name) + ": expected a number in " +
                                std::to_string(min) + ".." + std::to_string(max) + ", got '" + s +
                                "'");
  }
  return v;
}

}  // namespace pgfns::bench

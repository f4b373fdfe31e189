#include "call_spec.hpp"

#include <charconv>
#include <stdexcept>

namespace pgfns::bench {

call_spec call_spec::parse(std::string_view text) {
  const auto fail = [&](std::string_view why) {
    throw std::invalid_argument("call '" + std::string(text) + "': " + std::string(why) +
                                " (expected name(arg,...) with arg id, rand or an integer)");
  };
  const auto open = text.find('(');
  if (open == std::string_view::npos || open == 0 || !text.ends_with(')')) fail("no (...)");
  call_spec spec;
  spec.method = std::string(text.substr(0, open));
  for (char c : spec.method) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) fail("bad method name");
  }
  std::string_view rest = text.substr(open + 1, text.size() - open - 2);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view a = rest.substr(0, comma);
    argument arg;
    if (a == "id") {
      arg.what = kind::id;
    } else if (a == "rand") {
      arg.what = kind::rand;
    } else {
      const auto [end, ec] = std::from_chars(a.data(), a.data() + a.size(), arg.value);
      if (a.empty() || ec != std::errc() || end != a.data() + a.size()) fail("bad argument");
    }
    spec.args.push_back(arg);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
    if (rest.empty()) fail("empty argument");
  }
  if (spec.args.size() > 3) fail("more than 3 arguments");
  return spec;
}

void call_spec::make_args(random_source& r, std::int64_t rows, std::int64_t* out) const noexcept {
  for (std::size_t i = 0; i < args.size(); ++i) {
    switch (args[i].what) {
      case kind::id:
        out[i] = 1 + r.below(rows);
        break;
      case kind::rand:
        out[i] = r.below(1000);
        break;
      case kind::literal:
        out[i] = args[i].value;
        break;
    }
  }
}

}  // namespace pgfns::bench

#include "options.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace pgfns::cli {
namespace {

std::string quoted_command(const command_spec& spec) {
  return "'pgfns " + std::string(spec.name) + "'";
}

const option_spec* find_option(const command_spec& spec, std::string_view name) {
  for (const option_spec& o : spec.options) {
    if (o.name == name) return &o;
  }
  return nullptr;
}

// Looking up an option the command does not declare is a bug in the command, not a usage error.
const option_spec& declared(const command_spec* spec, std::string_view name) {
  const option_spec* o = spec == nullptr ? nullptr : find_option(*spec, name);
  if (o == nullptr) {
    throw std::logic_error("option --" + std::string(name) + " is not declared by " +
                           (spec == nullptr ? std::string("this command") : quoted_command(*spec)));
  }
  return *o;
}

std::string option_synopsis(const option_spec& o) {
  std::string s = "--";
  s += o.name;
  if (!o.value_name.empty()) {
    s += ' ';
    s += o.value_name;
  }
  return s;
}

void check_positional_count(const command_spec& spec, const std::vector<std::string>& given) {
  std::size_t required = 0;
  bool variadic = false;
  for (const positional_spec& p : spec.positionals) {
    if (p.required) ++required;
    if (p.variadic) variadic = true;
  }
  if (given.size() < required) {
    const positional_spec& missing = spec.positionals[given.size()];
    throw usage_error("missing argument " + std::string(missing.name) + " for " +
                      quoted_command(spec) + " (usage: " + usage_line(spec) + ")");
  }
  if (!variadic && given.size() > spec.positionals.size()) {
    throw usage_error("unexpected argument '" + given[spec.positionals.size()] + "' for " +
                      quoted_command(spec) + " (usage: " + usage_line(spec) + ")");
  }
}

void check_required_options(
    const command_spec& spec,
    const std::map<std::string, std::vector<std::string>, std::less<>>& got) {
  for (const option_spec& o : spec.options) {
    if (o.required && !got.contains(o.name)) {
      throw usage_error(
          "missing required option " + option_synopsis(o) + " for " + quoted_command(spec) +
          (o.env.empty() ? std::string()
                         : " (or set " + std::string(o.env) + " in the environment)"));
    }
  }
}

// "  --name VALUE      help text wrapped at the right margin", the text in a column of its own.
std::string help_row(const std::string& left, std::string_view help, std::size_t indent) {
  constexpr std::size_t margin = 96;
  const std::size_t column = indent + 22;
  std::string out(indent, ' ');
  out += left;
  if (out.size() + 2 <= column) {
    out.append(column - out.size(), ' ');
  } else {
    out += '\n';
    out.append(column, ' ');
  }
  std::size_t line = column;
  std::size_t pos = 0;
  bool first = true;
  while (pos < help.size()) {
    const std::size_t end = std::min(help.find(' ', pos), help.size());
    const std::string_view word = help.substr(pos, end - pos);
    if (!first && line + 1 + word.size() > margin) {
      out += '\n';
      out.append(column, ' ');
      line = column;
    } else if (!first) {
      out += ' ';
      ++line;
    }
    out += word;
    line += word.size();
    first = false;
    pos = end + 1;
  }
  return out + "\n";
}

}  // namespace

bool parsed_args::flag(std::string_view name) const {
  declared(spec_, name);
  return options_.contains(name);
}

std::optional<std::string> parsed_args::value(std::string_view name) const {
  declared(spec_, name);
  auto it = options_.find(name);
  if (it == options_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> parsed_args::values(std::string_view name) const {
  declared(spec_, name);
  auto it = options_.find(name);
  return it == options_.end() ? std::vector<std::string>{} : it->second;
}

std::optional<long long> parsed_args::integer(std::string_view name) const {
  const std::optional<std::string> text = value(name);
  if (!text) return std::nullopt;
  long long out = 0;
  const char* end = text->data() + text->size();
  const auto [ptr, ec] = std::from_chars(text->data(), end, out);
  if (text->empty() || ec != std::errc() || ptr != end) {
    throw usage_error("option --" + std::string(name) + " of " + quoted_command(*spec_) +
                      " expects a whole number, not '" + *text + "'");
  }
  return out;
}

std::optional<std::chrono::milliseconds> parsed_args::seconds(std::string_view name) const {
  const std::optional<std::string> text = value(name);
  if (!text) return std::nullopt;
  const auto bad = [&] {
    return usage_error("option --" + std::string(name) + " of " + quoted_command(*spec_) +
                       " expects a number of seconds, 0 or more, with at most 3 decimals (e.g. 1 "
                       "or 2.5), not '" +
                       *text + "'");
  };
  // Digits, then a point and up to three more: no sign, exponent, spaces, "inf" or "nan".
  const std::size_t dot = std::min(text->find('.'), text->size());
  const std::string_view whole = std::string_view(*text).substr(0, dot);
  const std::string_view fraction = std::string_view(*text).substr(std::min(dot + 1, text->size()));
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if ((whole.empty() && fraction.empty()) || fraction.size() > 3 || !digits(whole) ||
      !digits(fraction))
    throw bad();
  // Up to a thousand years: far inside the range of milliseconds.
  constexpr long long max_seconds = 1000LL * 366 * 24 * 3600;
  long long s = 0;
  if (!whole.empty() &&
      (std::from_chars(whole.data(), whole.data() + whole.size(), s).ec != std::errc() ||
       s > max_seconds)) {
    throw usage_error("option --" + std::string(name) + " of " + quoted_command(*spec_) +
                      " is too large: '" + *text + "' (at most " + std::to_string(max_seconds) +
                      " seconds)");
  }
  long long ms = 0;
  for (std::size_t i = 0; i < 3; ++i) ms = ms * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
  return std::chrono::milliseconds(s * 1000 + ms);
}

parsed_args parse(const command_spec& spec, std::span<const std::string> args) {
  parsed_args out;
  out.spec_ = &spec;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || !arg.starts_with("--") || arg == "--") {
      if (!options_ended && arg == "--") {
        options_ended = true;
      } else if (!options_ended && arg == "-h") {
        out.help_ = true;
      } else {
        out.positionals_.push_back(arg);
      }
      continue;
    }
    const std::size_t eq = arg.find('=');
    const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    if (name == "help" && eq == std::string::npos) {
      out.help_ = true;
      continue;
    }
    const option_spec* o = find_option(spec, name);
    if (o == nullptr) {
      throw usage_error("unknown option --" + name + " for " + quoted_command(spec));
    }
    std::vector<std::string>& slot = out.options_[name];
    if (!slot.empty() && !o->repeatable) {
      throw usage_error("option --" + name + " of " + quoted_command(spec) +
                        " is given more than once");
    }
    if (o->value_name.empty()) {
      if (eq != std::string::npos) {
        throw usage_error("option --" + name + " of " + quoted_command(spec) +
                          " is a flag and takes no value");
      }
      slot.emplace_back();
    } else if (eq != std::string::npos) {
      slot.push_back(arg.substr(eq + 1));
    } else if (i + 1 < args.size()) {
      slot.push_back(args[++i]);
    } else {
      throw usage_error("option --" + name + " of " + quoted_command(spec) + " needs a value (" +
                        option_synopsis(*o) + ")");
    }
  }
  if (out.help_) return out;
  for (const option_spec& o : spec.options) {
    if (o.env.empty() || out.options_.contains(o.name)) continue;
    const char* v = std::getenv(std::string(o.env).c_str());
    if (v != nullptr && *v != '\0') out.options_[std::string(o.name)].emplace_back(v);
  }
  check_required_options(spec, out.options_);
  check_positional_count(spec, out.positionals_);
  return out;
}

std::string usage_line(const command_spec& spec) {
  std::string s = "pgfns " + std::string(spec.name);
  for (const option_spec& o : spec.options) {
    if (!o.required) continue;
    s += ' ';
    s += option_synopsis(o);
  }
  for (const option_spec& o : spec.options) {
    if (o.required) continue;
    s += " [";
    s += option_synopsis(o);
    s += o.repeatable ? "]..." : "]";
  }
  for (const positional_spec& p : spec.positionals) {
    s += p.required ? " " : " [";
    s += p.name;
    if (p.variadic) s += " ...";
    if (!p.required) s += ']';
  }
  return s;
}

std::string parameters_text(const command_spec& spec, std::size_t indent) {
  std::string out;
  for (const positional_spec& p : spec.positionals) {
    out += help_row(std::string(p.name), p.help, indent);
  }
  for (const option_spec& o : spec.options) {
    std::string help(o.help);
    const std::string env = "$" + std::string(o.env);
    if (!o.env.empty()) {
      help += o.required ? " (required unless " + env + " is set)" : " (default: " + env + ")";
    } else if (o.required) {
      help += " (required)";
    }
    if (o.repeatable) help += " (may be repeated)";
    out += help_row(option_synopsis(o), help, indent);
  }
  return out;
}

std::string help_text(const command_spec& spec) {
  std::string out = "usage: " + usage_line(spec) + "\n\n";
  out += std::string(spec.description) + "\n\n";
  out += "arguments and options:\n";
  out += parameters_text(spec, 2);
  out += help_row("--help", "show this help and exit", 2);
  return out;
}

}  // namespace pgfns::cli

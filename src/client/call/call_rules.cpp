#include "client/call/call_rules.hpp"
#include "common/utf8.hpp"

#include <pgfns/error.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <vector>

namespace pgfns::detail {

namespace {

// `method "name"`: built by appending (only when a check fails), which also keeps GCC 12's
// -O3 from a false -Wrestrict on `"literal" + std::string(...)`.
std::string method_quoted(std::string_view name) {
  std::string s = "method \"";
  s += name;
  s += '"';
  return s;
}

// Service names compare with '-' and '_' alike (normalize_service_name), without allocating:
// this runs for every call of a write method.
bool same_service(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] == '-' ? '_' : a[i];
    const char y = b[i] == '-' ? '_' : b[i];
    if (x != y) return false;
  }
  return true;
}

bool another_services_write(const method& def, std::string_view service) noexcept {
  return def.mode == method_mode::write && !same_service(def.service_name, service);
}

char lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string arguments(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " argument" : " arguments");
}

// "takes 1 argument (product_id_in integer)", "takes 1 to 2 arguments (...)", ...
std::string takes(const signature& s) {
  if (s.max_args == 0) return "takes no arguments";
  std::string out = "takes ";
  if (s.variadic) {
    out += "at least " + arguments(s.min_args);
  } else if (s.min_args == s.max_args) {
    out += arguments(s.max_args);
  } else if (s.min_args == 0) {
    out += "at most " + arguments(s.max_args);
  } else {
    out += std::to_string(s.min_args) + " to " + arguments(s.max_args);
  }
  return out + " (" + describe_inputs(s) + ")";
}

// " (its parameters: a_in integer, [b_in text])", or " (it takes no arguments)".
std::string its_parameters(const signature& s) {
  if (s.max_args == 0) return " (it takes no arguments)";
  return " (its parameters: " + describe_inputs(s) + ")";
}

rule_check refuse_arguments(std::string message) {
  return {errc::bad_arguments, std::move(message)};
}

// The parameter named `name`, an input one first (an input and an output may share a name).
const parameter* find_parameter(const signature& s, std::string_view name) noexcept {
  const parameter* out = nullptr;
  for (const parameter& p : s.parameters) {
    if (p.name != name) continue;
    if (p.is_input()) return &p;
    out = &p;
  }
  return out;
}

rule_check check_argument_names(const signature& sig, std::string_view method,
                                const boost::json::object& args) {
  if (sig.variadic) {
    return refuse_arguments(method_quoted(method) +
                            " has a variadic parameter, so it takes positional arguments only" +
                            its_parameters(sig));
  }
  for (const parameter& p : sig.parameters) {
    if (p.is_input() && !p.has_default && p.name.empty()) {
      return refuse_arguments(method_quoted(method) + " has an unnamed parameter (" + p.type +
                              ") without a default, so it takes positional arguments only" +
                              its_parameters(sig));
    }
  }
  for (const auto& kv : args) {
    const parameter* p = find_parameter(sig, kv.key());
    if (p && p->is_input()) continue;
    // The key matches ^[a-z0-9_]+_in$ (checked before): it can be shown as it is.
    std::string message = method_quoted(method);
    message += p ? " has \"" + std::string(kv.key()) + "\" as an OUT parameter, not an argument"
                 : " has no parameter \"" + std::string(kv.key()) + "\"";
    return refuse_arguments(message + its_parameters(sig));
  }
  std::vector<std::string_view> missing;
  for (const parameter& p : sig.parameters) {
    if (p.is_input() && !p.has_default && !args.contains(p.name)) missing.push_back(p.name);
  }
  if (missing.empty()) return {};
  std::string message = method_quoted(method) + " needs named argument";
  if (missing.size() > 1) message += 's';
  for (std::size_t i = 0; i < missing.size(); ++i) {
    message += i == 0 ? " " : i + 1 == missing.size() ? " and " : ", ";
    message += missing[i];
  }
  message += missing.size() > 1 ? ", which have no default" : ", which has no default";
  return refuse_arguments(message + its_parameters(sig));
}

}  // namespace

rule_check check_method(const resolved_method* m, std::string_view name, std::string_view service,
                        bool allow_deprecated, int schema_version,
                        std::span<const resolved_method> known) {
  if (!m) {
    // The name is anything the caller passed: shown escaped, on one line.
    std::string message = "no " + method_quoted(printable(name));
    message += " in the schema (version " + std::to_string(schema_version) + ")";
    if (const auto* close = closest_method(known, name, service, allow_deprecated)) {
      message += "; did you mean \"" + close->definition.name + "\"?";
    }
    return {errc::unknown_method, std::move(message)};
  }
  const method& def = m->definition;
  if (def.deprecated && !allow_deprecated)
    return {errc::deprecated_method,
            method_quoted(name) + " is deprecated; use call_deprecated to call it anyway"};
  if (another_services_write(def, service)) {
    return {errc::wrong_service, method_quoted(name) + " is a write method of service \"" +
                                     def.service_name + "\"; service \"" + std::string(service) +
                                     "\" may not call it"};
  }
  return {};
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t apart = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (apart > limit) return limit + 1;  // at least one insertion per extra character
  // Optimal string alignment: Levenshtein plus swaps of neighbours, three rows.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = lower(a[i - 1]) == lower(b[j - 1]);
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1]))
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, row);
  }
  return std::min(previous[b.size()], limit + 1);
}

const resolved_method* closest_method(std::span<const resolved_method> known, std::string_view name,
                                      std::string_view service, bool allow_deprecated) {
  const std::size_t limit = std::max<std::size_t>(name.size(), 3) / 3;
  const resolved_method* best = nullptr;
  std::size_t best_distance = limit + 1;
  std::size_t closest_refused = limit + 1;  // the distance of the closest method refused
  for (const resolved_method& m : known) {
    const std::size_t d = edit_distance(name, m.definition.name, limit);
    if ((m.definition.deprecated && !allow_deprecated) ||
        another_services_write(m.definition, service)) {
      closest_refused = std::min(closest_refused, d);
    } else if (d < best_distance) {
      best = &m;
      best_distance = d;
    }
  }
  return closest_refused < best_distance ? nullptr : best;
}

bool valid_argument_name(std::string_view key) noexcept {
  if (key.size() < 4 || !key.ends_with("_in")) return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

rule_check check_named_arguments(const boost::json::object& args, std::string_view method) {
  for (const auto& kv : args) {
    if (!valid_argument_name(kv.key())) {
      // The key is shown as JSON so that control characters cannot disturb the message.
      return {errc::bad_arguments,
              "named argument " + boost::json::serialize(boost::json::string(kv.key())) +
                  " of method \"" + std::string(method) + "\" does not match ^[a-z0-9_]+_in$"};
    }
  }
  return {};
}

rule_check check_arguments(const signature& sig, std::string_view method,
                           const boost::json::value& args) {
  if (const auto* named = args.if_object(); named && !named->empty()) {
    if (auto r = check_named_arguments(*named, method); !r) return r;
    return check_argument_names(sig, method, *named);
  }
  return check_argument_count(sig, method, args.is_array() ? args.get_array().size() : 0);
}

rule_check check_argument_count(const signature& sig, std::string_view method, std::size_t given) {
  if (given >= sig.min_args && given <= sig.max_args) return {};
  return refuse_arguments(method_quoted(method) + " " + takes(sig) + ", given " +
                          std::to_string(given));
}

rule_check check_binding(const method& def, std::string_view args, std::string_view returns) {
  if (def.args == args && def.returns == returns) return {};
  // The texts come from YAML and from generated code: one line whatever they hold.
  auto texts = [](std::string_view a, std::string_view r) {
    return "args \"" + printable(a) + "\" returns \"" + printable(r) + "\"";
  };
  return {errc::binding_mismatch, "method " + def.name + ": the bindings were generated for " +
                                      texts(args, returns) + ", but the schema loaded has " +
                                      texts(def.args, def.returns) +
                                      ": regenerate them with pgfns generate"};
}

std::string deprecated_binding_message(std::string_view method) {
  return method_quoted(method) +
         " is deprecated; regenerate the bindings and call it through their deprecated namespace";
}

std::string argument_refused(const signature& sig, std::size_t index, std::string_view reason) {
  std::string out = "argument " + std::to_string(index + 1);
  std::size_t input = 0;
  for (const parameter& p : sig.parameters) {
    if (!p.is_input()) continue;
    if (input++ != index) continue;
    if (!p.name.empty()) out += " (" + p.name + ")";
    break;
  }
  out += ": ";
  out += reason;
  return out + "; not sent";
}

}  // namespace pgfns::detail

#include "client/call/call_rules.hpp"

#include <pgfns/error.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

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

}  // namespace

rule_check check_method(const resolved_method* m, std::string_view name, std::string_view service,
                        bool allow_deprecated, int schema_version) {
  if (!m) {
    std::string message = "no " + method_quoted(name);
    message += " in the schema (version " + std::to_string(schema_version) + ")";
    return {errc::unknown_method, std::move(message)};
  }
  const method& def = m->definition;
  if (def.deprecated && !allow_deprecated)
    return {errc::deprecated_method,
            method_quoted(name) + " is deprecated; use call_deprecated to call it anyway"};
  if (def.mode == method_mode::write &&
      normalize_service_name(def.service_name) != normalize_service_name(service)) {
    return {errc::wrong_service, method_quoted(name) + " is a write method of service \"" +
                                     def.service_name + "\"; service \"" + std::string(service) +
                                     "\" may not call it"};
  }
  return {};
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

pool_role choose_pool(method_mode mode, bool read_pool_down, bool read_fallback) noexcept {
  if (mode == method_mode::write) return pool_role::write;
  return read_pool_down && read_fallback ? pool_role::write : pool_role::read;
}

}  // namespace pgfns::detail

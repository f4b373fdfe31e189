#include "client/pq/statement_cache.hpp"

#include "client/pq/statement_text.hpp"

#include <algorithm>

namespace pgfns::detail {
namespace {

bool same_keys(const std::vector<std::string>& keys, const boost::json::object& args) {
  if (keys.size() != args.size()) return false;
  return std::equal(keys.begin(), keys.end(), args.begin(),
                    [](const std::string& k, const auto& kv) { return k == kv.key(); });
}

}  // namespace

statement& statement_cache::get(const resolved_method& m, const boost::json::value& args) {
  method_statements& entry = methods_[&m];
  if (const auto* named = args.if_object()) {
    for (const auto& n : entry.named)
      if (same_keys(n.keys, *named)) return *n.stmt;
    std::vector<std::string> keys;
    for (const auto& kv : *named) keys.emplace_back(kv.key());
    const std::vector<std::string_view> views(keys.begin(), keys.end());
    statement& s = add(named_call_text(m.definition.name, views), static_cast<int>(keys.size()));
    entry.named.push_back({std::move(keys), &s});
    return s;
  }
  return positional(m, entry, args.as_array().size());
}

statement& statement_cache::get(const resolved_method& m, std::size_t nargs) {
  return positional(m, methods_[&m], nargs);
}

statement& statement_cache::positional(const resolved_method& m, method_statements& entry,
                                       std::size_t n) {
  if (entry.by_count.size() <= n) entry.by_count.resize(n + 1, nullptr);
  if (!entry.by_count[n])
    entry.by_count[n] = &add(positional_call_text(m.definition.name, n), static_cast<int>(n));
  return *entry.by_count[n];
}

statement& statement_cache::add(std::string text, int nparams) {
  statement& s = all_.emplace_back();
  s.id = static_cast<std::uint32_t>(all_.size());  // ids start at 1; 0 is never used
  s.text = std::move(text);
  s.nparams = nparams;
  return s;
}

}  // namespace pgfns::detail

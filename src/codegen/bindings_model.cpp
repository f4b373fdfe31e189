#include "codegen/bindings_model.hpp"

#include "codegen/cpp_names.hpp"
#include "codegen/enum_scan.hpp"
#include "schema/signature.hpp"
#include "schema/signature_lexer.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <utility>

namespace pgfns::detail {
namespace {

// Identifiers for names in the namespace and among a function's parameters, where the generated
// code declares names of its own.
std::string namespace_name(std::string_view name) {
  return cpp_identifier(name, {"bindings", "deprecated"});
}
std::string parameter_name(std::string_view name) {
  return cpp_identifier(name, {"db", "options", "token", "Token"});
}

// "acme::db" -> {"acme", "db"}; throws std::invalid_argument unless every part is a plain
// identifier that is no keyword or reserved name.
std::vector<std::string> namespace_parts(const std::string& ns) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (;;) {
    const std::size_t sep = ns.find("::", from);
    parts.push_back(ns.substr(from, sep == std::string::npos ? sep : sep - from));
    if (sep == std::string::npos) break;
    from = sep + 2;
  }
  for (const std::string& part : parts) {
    if (part.empty() || cpp_identifier(part) != part || part.find("__") != std::string::npos ||
        part.front() == '_') {
      throw std::invalid_argument(
          "namespace \"" + ns +
          "\" is not a C++ namespace name (identifiers joined by ::, none a keyword, none "
          "starting with _ nor holding __, none of std, boost, pgfns)");
    }
  }
  return parts;
}

class model_builder {
 public:
  model_builder(const schema& s, const codegen_options& o)
      : schema_(s), scope_("namespace " + o.ns) {
    const std::string service = normalize_service_name(o.service);
    const std::vector<std::string> services = s.services();
    if (std::find(services.begin(), services.end(), service) == services.end()) {
      std::string list;
      for (const std::string& name : services) list += (list.empty() ? "" : ", ") + name;
      throw std::invalid_argument("the schema has no service \"" + o.service +
                                  "\" (its services: " + (list.empty() ? "none" : list) + ")");
    }
    model_.ns = namespace_parts(o.ns);
    model_.ns.push_back(cpp_identifier(service));
    scope_ = name_scope("namespace " + o.ns + "::" + model_.ns.back());
    model_.service = service;
    model_.source = o.source;
    model_.version = s.latest_version();
    enums_ = scan_enums(s);  // after the options are checked: their errors come first
  }

  bindings_model build() {
    for (const resolved_method& m : schema_.methods()) {
      const method& d = m.definition;
      if (d.mode == method_mode::write && normalize_service_name(d.service_name) != model_.service)
        continue;
      model_.methods.push_back(method_of(m));
    }
    for (const std::string& key : used_enums_) model_.enums.push_back(enum_of(key));
    return std::move(model_);
  }

 private:
  [[noreturn]] static void fail(const method& m, const std::string& what) {
    throw codegen_error("method " + m.name + ": " + what);
  }

  type_ref type_of(const method& m, const std::string& where, const std::string& sql_type) {
    mapped_type t;
    try {
      t = map_sql_type(sql_type, enums_);
    } catch (const std::invalid_argument& e) {
      fail(m, where + "type " + shown(sql_type) + " " + e.what());
    }
    if (t.is_enum) {
      used_enums_.insert(t.cpp);
      return {namespace_name(t.cpp), true, t.array};
    }
    return {t.cpp, false, t.array};
  }

  method_model method_of(const resolved_method& m) {
    const method& d = m.definition;
    method_model out;
    out.method = &m;
    out.id = namespace_name(d.name);
    scope_.claim(out.id, "method " + d.name);
    signature sig;
    try {
      sig = parse_signature(d.args);
    } catch (const std::invalid_argument& e) {
      fail(d, "args: " + std::string(e.what()));
    }
    name_scope params("the arguments of method " + d.name);
    for (std::size_t i = 0; i < sig.parameters.size(); ++i) {
      const parameter& p = sig.parameters[i];
      const std::string label = p.name.empty() ? "$" + std::to_string(i + 1) : p.name;
      if (p.mode != parameter_mode::in) {
        fail(d, "argument " + label + " is " + upper(to_string(p.mode)) +
                    ", and typed bindings pass IN arguments only");
      }
      field f{p.name, parameter_name(p.name.empty() ? "arg" + std::to_string(i + 1) : p.name),
              type_of(d, "argument " + label + ": ", p.type)};
      params.claim(f.id, "argument " + label);
      if (p.has_default) out.defaulted.push_back(label);
      out.params.push_back(std::move(f));
    }
    return_shape r;
    try {
      r = parse_returns(d.returns);
    } catch (const std::invalid_argument& e) {
      fail(d, "returns " + shown(d.returns) + " " + e.what());
    }
    out.kind = r.kind;
    if (r.kind == return_kind::scalar || r.kind == return_kind::set) {
      out.value = type_of(d, "returns: ", r.type);
    } else if (r.kind == return_kind::table) {
      out.row_id = namespace_name(d.name + "_row");
      scope_.claim(out.row_id, "the row type of method " + d.name);
      name_scope members("the row type of method " + d.name);
      for (const sql_column& c : r.columns) {
        field f{c.name, cpp_identifier(c.name), type_of(d, "column " + c.name + ": ", c.type)};
        members.claim(f.id, "column " + c.name);
        out.columns.push_back(std::move(f));
      }
    }
    return out;
  }

  enum_model enum_of(const std::string& key) {
    enum_model out{key, namespace_name(key), enums_.at(key), {}};
    scope_.claim(out.id, "enum type " + key);
    name_scope labels("enum " + out.id);
    for (const std::string& label : out.labels) {
      out.label_ids.push_back(cpp_identifier(label));
      labels.claim(out.label_ids.back(), "label '" + label + "'");
    }
    return out;
  }

  static std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    return out;
  }

  const schema& schema_;
  enum_types enums_;
  name_scope scope_;
  bindings_model model_;
  std::set<std::string> used_enums_;
};

}  // namespace

bindings_model build_model(const schema& s, const codegen_options& options) {
  return model_builder(s, options).build();
}

}  // namespace pgfns::detail

// The bindings and call functions of a generated header: per method a pgfns::method_binding
// and two function templates (without and with call_options), after a comment from the schema.
#include "codegen/cpp_names.hpp"
#include "codegen/emit.hpp"

namespace pgfns::detail {
namespace {

bool is_deprecated(const method_model& method) {
  return method.method->definition.deprecated;
}

std::string binding_text(const method_model& method) {
  const pgfns::method& d = method.method->definition;
  return list_text("inline constexpr pgfns::method_binding " + method.id + "{",
                   {cpp_string_literal(d.name), cpp_string_literal(d.args),
                    cpp_string_literal(d.returns), is_deprecated(method) ? "true" : "false"},
                   "};\n", 4, true);
}

// The result shape, e.g. pgfns::table_of<get_product_row>.
std::string kind_text(const bindings_model& m, const method_model& method,
                      const hiding_names& hidden) {
  switch (method.kind) {
    case return_kind::table:
      return "pgfns::table_of<" +
             (hidden.find(method.row_id) != hidden.end()
                  ? qualified(m, method.row_id, is_deprecated(method))
                  : method.row_id) +
             ">";
    case return_kind::scalar:
      return "pgfns::scalar_of<" + type_text(m, method.value, hidden) + ">";
    case return_kind::set:
      return "pgfns::set_of<" + type_text(m, method.value, hidden) + ">";
    case return_kind::none:
      break;
  }
  return "pgfns::void_result";
}

// "get_product (read; defined in version 2, body from version 3)", the description, and what
// becomes of SQL defaults.
std::string doc_text(const method_model& method) {
  const resolved_method& r = *method.method;
  std::string head = r.definition.name + " (" + std::string(to_string(r.definition.mode)) +
                     (r.definition.deprecated ? ", deprecated" : "") + "; defined in version " +
                     std::to_string(r.first_defined_in);
  if (r.defined_in != r.first_defined_in)
    head += ", body from version " + std::to_string(r.defined_in);
  std::string text = head + ")";
  if (!r.definition.description.empty()) text += "\n" + r.definition.description;
  if (!method.defaulted.empty()) {
    std::string names;
    for (const std::string& n : method.defaulted) names += (names.empty() ? "" : ", ") + n;
    text += "\nEvery argument is passed, so the SQL default" +
            std::string(method.defaulted.size() > 1 ? "s" : "") + " of " + names + " never appl" +
            (method.defaulted.size() > 1 ? "y" : "ies") + " (std::nullopt sends NULL).";
  }
  return comment_lines(text);
}

std::string function_text(const bindings_model& m, const method_model& method, bool with_options) {
  hiding_names hidden;
  for (const field& p : method.params) hidden.insert(p.id);
  const std::string kind = kind_text(m, method, hidden);
  std::vector<std::string> params{"pgfns::database& db"};
  std::vector<std::string> args{"db", "bindings::" + method.id, with_options ? "options" : "{}",
                                "std::forward<Token>(token)"};
  if (with_options) params.push_back("const pgfns::call_options& options");
  for (const field& p : method.params) {
    params.push_back("std::optional<" + type_text(m, p.type, hidden) + "> " + p.id);
    args.push_back("std::move(" + p.id + ")");
  }
  params.push_back("Token&& token = {}");
  std::string out = "template <pgfns::typed_token<" + kind + "> Token = pgfns::no_token_t>\n";
  out += list_text("auto " + method.id + "(", params, ") {\n", 4);
  out += list_text("  return pgfns::typed_call<" + kind + ">(", args, ");\n", 6, true);
  return out + "}\n";
}

}  // namespace

std::string emit_functions(const bindings_model& m,
                           const std::vector<const method_model*>& methods) {
  if (methods.empty()) return "";
  std::string out = "\nnamespace bindings {\n";
  for (const method_model* method : methods) out += binding_text(*method);
  out += "}  // namespace bindings\n";
  for (const method_model* method : methods) {
    out += "\n" + doc_text(*method) + function_text(m, *method, false) +
           function_text(m, *method, true);
  }
  return out;
}

}  // namespace pgfns::detail

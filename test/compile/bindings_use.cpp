// Writes a translation unit that uses the bindings `pgfns generate` makes for one service, so
// that compiling it instantiates their function templates (a header alone instantiates none):
//
//   pgfns_bindings_use DB SERVICE NAMESPACE OUT.cpp
//
// It calls the service's first read method (co_await, no token), its first write method (with
// call_options and a callback), the first method of each result shape not called yet (with
// use_awaitable), the first that takes an enum and the first that takes an array, the first
// deprecated one and the first read method of another service, each with default arguments
// ({} is std::nullopt). The file is rewritten only when it changes.
#include "codegen/bindings_model.hpp"

#include <pgfns/schema.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using pgfns::detail::method_model;
using pgfns::detail::return_kind;

std::string qualified(const pgfns::detail::bindings_model& m, const method_model& method) {
  std::string out;
  for (const std::string& part : m.ns) out += part + "::";
  if (method.method->definition.deprecated) out += "deprecated::";
  return out + method.id;
}

enum class form { awaited, callback, use_awaitable };

std::string call_text(const pgfns::detail::bindings_model& m, const method_model& method, form f) {
  std::string args = f == form::callback ? "db, pgfns::call_options{}" : "db";
  for (std::size_t i = 0; i < method.params.size(); ++i) args += ", {}";
  const std::string name = qualified(m, method);
  const std::string comment = "  // " + method.method->definition.name + "\n";
  switch (f) {
    case form::awaited:
      if (method.kind == return_kind::none)
        return comment + "  co_await " + name + "(" + args + ");\n";
      return comment + "  {\n    auto value = co_await " + name + "(" + args +
             ");\n    (void)value;\n  }\n";
    case form::callback:
      return comment + "  " + name + "(" + args +
             ", [](boost::system::error_code, auto result) { (void)result; });\n";
    case form::use_awaitable:
      break;
  }
  return comment + "  {\n    auto result = co_await " + name + "(" + args +
         ", boost::asio::use_awaitable);\n    (void)result;\n  }\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: " << argv[0] << " DB SERVICE NAMESPACE OUT.cpp\n";
    return 2;
  }
  try {
    const auto s = pgfns::schema::from_db_directory(argv[1]);
    const auto m = pgfns::detail::build_model(s, {.service = argv[2], .ns = argv[3], .source = ""});
    std::vector<const method_model*> chosen;
    std::vector<form> forms;
    // The first method `wanted` that was not chosen yet.
    const auto pick = [&](form f, const std::function<bool(const method_model&)>& wanted) {
      for (const method_model& method : m.methods) {
        if (wanted(method) && std::find(chosen.begin(), chosen.end(), &method) == chosen.end()) {
          chosen.push_back(&method);
          forms.push_back(f);
          return;
        }
      }
    };
    const auto own = [&](const method_model& x) {
      return pgfns::normalize_service_name(x.method->definition.service_name) == m.service;
    };
    const auto current_in_mode = [](const method_model& x, pgfns::method_mode mode) {
      return x.method->definition.mode == mode && !x.method->definition.deprecated;
    };
    const auto takes = [](const method_model& x, bool (*what)(const pgfns::detail::type_ref&)) {
      return std::any_of(x.params.begin(), x.params.end(),
                         [&](const pgfns::detail::field& p) { return what(p.type); });
    };
    pick(form::awaited, [&](const method_model& x) {
      return own(x) && current_in_mode(x, pgfns::method_mode::read);
    });
    pick(form::callback, [&](const method_model& x) {
      return own(x) && current_in_mode(x, pgfns::method_mode::write);
    });
    for (const return_kind kind :
         {return_kind::table, return_kind::scalar, return_kind::set, return_kind::none}) {
      if (std::none_of(chosen.begin(), chosen.end(),
                       [&](const method_model* c) { return c->kind == kind; }))
        pick(form::use_awaitable, [&](const method_model& x) { return x.kind == kind; });
    }
    pick(form::awaited, [&](const method_model& x) {
      return takes(x, [](const pgfns::detail::type_ref& t) { return t.is_enum; });
    });
    pick(form::awaited, [&](const method_model& x) {
      return takes(x, [](const pgfns::detail::type_ref& t) { return t.array; });
    });
    pick(form::awaited, [](const method_model& x) { return x.method->definition.deprecated; });
    pick(form::awaited, [&](const method_model& x) {
      return !own(x) && current_in_mode(x, pgfns::method_mode::read);
    });

    std::string text =
        "// Written by pgfns_bindings_use (test/compile/bindings_use.cpp). Do not edit.\n";
    text += "#include \"" + std::string(argv[2]) + ".hpp\"\n\n";
    text += "boost::asio::awaitable<void> use_bindings(pgfns::database& db);\n\n";
    text += "boost::asio::awaitable<void> use_bindings(pgfns::database& db) {\n";
    for (std::size_t i = 0; i < chosen.size(); ++i) text += call_text(m, *chosen[i], forms[i]);
    text += "  co_return;\n}\n";

    std::ifstream in(argv[4]);
    std::ostringstream current;
    current << in.rdbuf();
    if (current.str() != text) std::ofstream(argv[4]) << text;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}

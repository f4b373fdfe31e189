// What one service's generated header declares, worked out from the schema before any text is
// written: the methods it binds, their C++ names and types, the row structs and enums.
#pragma once

#include "codegen/sql_types.hpp"

#include <pgfns/codegen.hpp>
#include <pgfns/schema.hpp>

#include <string>
#include <vector>

namespace pgfns::detail {

struct type_ref {
  std::string cpp;       // "std::int32_t", ...; for an enum, its C++ identifier
  bool is_enum = false;  // declared in the service's namespace
  bool array = false;    // std::vector of it
};

struct field {           // an argument or a column
  std::string sql_name;  // as PostgreSQL names it
  std::string id;        // its C++ identifier
  type_ref type;
};

struct method_model {
  const resolved_method* method = nullptr;  // in the schema
  std::string id;                           // the C++ name of its function and binding
  std::vector<field> params;                // the arguments, in order
  std::vector<std::string> defaulted;       // SQL names of the arguments with a default
  return_kind kind = return_kind::none;
  type_ref value;              // scalar and set
  std::string row_id;          // table: the row struct
  std::vector<field> columns;  // table
};

struct enum_model {
  std::string sql_name;  // its key in enum_types
  std::string id;
  std::vector<std::string> labels;
  std::vector<std::string> label_ids;
};

struct bindings_model {
  std::vector<std::string> ns;  // the namespace's parts, then the service's identifier
  std::string service;          // as the schema names it (underscores)
  std::string source;
  int version = 0;
  std::vector<enum_model> enums;      // those the methods use, by SQL name
  std::vector<method_model> methods;  // by name, deprecated ones included
};

// The model of `options.service`'s header: its own methods and the other services' read
// methods, with the enums the migration scripts create (enum_scan.hpp). Throws
// std::invalid_argument for unusable options, then codegen_error for what the schema holds
// that cannot be generated.
bindings_model build_model(const schema& s, const codegen_options& options);

}  // namespace pgfns::detail

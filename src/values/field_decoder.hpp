// Turns fields in PostgreSQL's text format into JSON values. A column's type is classified once
// (column_kind) and every field of that column is then decoded without looking at the OID
// again. One decoder serves a whole result: it keeps a scratch buffer for unescaping quoted
// array elements and a JSON parser, both reused from field to field.
#pragma once

#include <pgfns/value.hpp>

#include <boost/json/array.hpp>
#include <boost/json/parser.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pgfns::detail {

enum class value_kind : std::uint8_t {
  text,         // kept as printed
  integer,      // int64
  floating,     // double, or "NaN" / "Infinity" / "-Infinity"
  boolean,      // "t" / "f"
  json,         // parsed
  timestamp,    // ISO 8601 with 'T'
  timestamptz,  // ISO 8601 with 'T' and a "+HH:MM" offset
  array,        // `{...}` of `element`
};

struct column_kind {
  value_kind kind = value_kind::text;
  value_kind element = value_kind::text;  // only for kind == array
};

column_kind classify(oid_t type) noexcept;

class field_decoder {
 public:
  explicit field_decoder(boost::json::storage_ptr sp) : sp_(std::move(sp)) {}

  boost::json::value decode(column_kind k, std::string_view text);

 private:
  boost::json::value scalar(value_kind k, std::string_view text);
  boost::json::value text_value(std::string_view text) const;
  boost::json::value floating_value(std::string_view text) const;
  boost::json::value json_value(std::string_view text);
  boost::json::value timestamp_value(std::string_view text, bool with_zone) const;
  // Parses the `{...}` at the start of `in` into `out`, advancing `in` past it.
  bool parse_array(std::string_view& in, value_kind element, boost::json::array& out, int depth);

  boost::json::storage_ptr sp_;
  std::string scratch_;
  std::optional<boost::json::parser> parser_;
};

}  // namespace pgfns::detail

// Fuzzes the decoding of PostgreSQL's text format (decode_text, rows_from_result). The first
// byte chooses the mode:
//   < 0x80: decode_text(type, rest), the type chosen by the first byte;
//   else  : a result of 1 + (byte & 7) columns, each described by two bytes (type; name
//           "c0".."c3", so that names repeat, and binary format when 0xff), then the fields,
//           row by row, separated by tabs ("\N" is NULL). The result is built in memory with
//           libpq (PQsetResultAttrs, PQsetvalue) and read with rows_from_result.
// decode_text must throw nothing but std::invalid_argument, and that only for json and jsonb
// (columns and array elements) it cannot read, and must keep the promises of pgfns/value.hpp:
// no non-finite number, what it cannot interpret kept as the exact text. rows_from_result must
// give, per row, what decode_text gives per field (the later of two same-named columns wins),
// and throw only std::invalid_argument, only for a binary column or a field decode_text refuses.
#include "fuzz_support.hpp"
#include "json_shape.hpp"
#include "pg_type_list.hpp"

#include <pgfns/value.hpp>

#include "common/pq_handle.hpp"
#include "values/field_decoder.hpp"
#include "values/result_rows.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace json = boost::json;
using pgfns::fuzz::all_finite;
using pgfns::fuzz::array_depth;
using pgfns::fuzz::finding;
using pgfns::fuzz::require;

namespace {

// The promises of pgfns/value.hpp for one decoded field.
void check_decoded(pgfns::oid_t type, std::string_view text, const json::value& v) {
  using pgfns::detail::value_kind;
  const auto context = "type " + std::to_string(type) + ", text \"" + std::string(text) + "\"";
  require(all_finite(v), "decoded a non-finite number (JSON cannot hold it)", context);
  const auto k = pgfns::detail::classify(type);
  const bool kept = v.is_string() && v.get_string() == text;
  switch (k.kind) {
    case value_kind::text:
      require(kept, "a text field is not kept as printed", context);
      break;
    case value_kind::integer:
      require(v.is_int64() || kept, "an integer field is neither int64 nor its text", context);
      break;
    case value_kind::floating:
      require(v.is_double() || kept, "a float field is neither double nor its text", context);
      break;
    case value_kind::boolean:
      require(v.is_bool() || kept, "a boolean field is neither bool nor its text", context);
      break;
    case value_kind::timestamp:
    case value_kind::timestamptz:
      require(v.is_string(), "a timestamp field is not a string", context);
      require(v.get_string().size() == text.size() || v.get_string().size() == text.size() + 3,
              "a timestamp changed more than its 'T' and offset minutes", context);
      break;
    case value_kind::array:
      require(v.is_array() || kept, "an array field is neither an array nor its text", context);
      require(array_depth(v) <= 6, "an array has more than PostgreSQL's 6 dimensions", context);
      break;
    case value_kind::json:
      break;
  }
}

// The decoded field, or nullopt when decode_text refused it (json that cannot be read).
std::optional<json::value> decode_checked(pgfns::oid_t type, std::string_view text) {
  using pgfns::detail::value_kind;
  try {
    json::value v = pgfns::decode_text(type, text);
    check_decoded(type, text, v);
    json::monotonic_resource mr;
    const json::value w = pgfns::decode_text(type, text, &mr);
    require(w == v, "decode_text differs with another memory resource", std::string(text));
    return v;
  } catch (const std::invalid_argument& e) {
    const auto k = pgfns::detail::classify(type);
    require(k.kind == value_kind::json ||
                (k.kind == value_kind::array && k.element == value_kind::json),
            "decode_text refused a field that is not json", e.what());
    return std::nullopt;
  } catch (const std::exception& e) {
    finding("decode_text threw", e.what());
  }
}

struct column {
  std::string name;
  pgfns::oid_t type;
  int format;
};

void fuzz_rows(const std::uint8_t* data, std::size_t size) {
  const auto& types = pgfns::fuzz::fuzzed_types();
  const std::size_t n_cols = 1 + (data[0] & 7u);
  if (size < 1 + 2 * n_cols) return;
  std::vector<column> cols;
  bool binary = false;
  for (std::size_t c = 0; c < n_cols; ++c) {
    const std::uint8_t t = data[1 + 2 * c], n = data[2 + 2 * c];
    cols.push_back({"c" + std::to_string(n % 4), types[t % types.size()], n == 0xff ? 1 : 0});
    binary = binary || n == 0xff;
  }
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1 + 2 * n_cols,
                              size - 1 - 2 * n_cols);

  pgfns::detail::result_handle res(PQmakeEmptyPGresult(nullptr, PGRES_TUPLES_OK));
  require(res != nullptr, "PQmakeEmptyPGresult failed");
  std::vector<PGresAttDesc> attrs;
  for (auto& c : cols) attrs.push_back({c.name.data(), 0, 0, c.format, c.type, -1, -1});
  require(PQsetResultAttrs(res.get(), static_cast<int>(attrs.size()), attrs.data()) != 0,
          "PQsetResultAttrs failed");
  // Fields row by row; every row complete (missing fields NULL).
  std::vector<std::vector<std::optional<std::string_view>>> rows;
  for (std::size_t pos = 0, i = 0; pos <= rest.size() && rows.size() < 256; ++i) {
    const std::size_t end = std::min(rest.find('\t', pos), rest.size());
    const std::string_view field = rest.substr(pos, end - pos);
    if (i % n_cols == 0) rows.emplace_back(n_cols);
    if (field != "\\N") rows.back()[i % n_cols] = field;
    pos = end + 1;
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < n_cols; ++c) {
      std::string text(rows[r][c].value_or(""));
      const int len = rows[r][c] ? static_cast<int>(text.size()) : -1;
      require(PQsetvalue(res.get(), static_cast<int>(r), static_cast<int>(c), text.data(), len),
              "PQsetvalue failed");
    }
  }

  std::vector<json::object> wanted;
  bool refused = binary;
  for (std::size_t r = 0; r < rows.size() && !refused; ++r) {
    json::object& want = wanted.emplace_back();
    for (std::size_t c = 0; c < n_cols && !refused; ++c) {
      if (!rows[r][c]) {
        want[cols[c].name] = nullptr;
      } else if (auto v = decode_checked(cols[c].type, *rows[r][c])) {
        want[cols[c].name] = std::move(*v);
      } else {
        refused = true;
      }
    }
  }
  json::array got;
  try {
    got = pgfns::detail::rows_from_result(res.get());
    require(!refused, "rows_from_result accepted a binary column or a field decode_text refuses");
  } catch (const std::invalid_argument& e) {
    require(refused, "rows_from_result refused a result decode_text reads", e.what());
    return;
  } catch (const std::exception& e) {
    finding("rows_from_result threw something other than std::invalid_argument", e.what());
  }
  require(got.size() == rows.size(), "rows_from_result returned a different number of rows");
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const json::object& want = wanted[r];
    require(got[r] == want, "rows_from_result differs from decode_text field by field",
            json::serialize(got[r]) + " != " + json::serialize(want));
  }
  json::monotonic_resource mr;
  require(pgfns::detail::rows_from_result(res.get(), &mr) == got,
          "rows_from_result differs with another memory resource");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (data[0] < 0x80) {
    const auto& types = pgfns::fuzz::fuzzed_types();
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    decode_checked(types[data[0] % types.size()], text);
  } else {
    fuzz_rows(data, size);
  }
  return 0;
}

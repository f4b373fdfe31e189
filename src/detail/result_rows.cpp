#include "detail/result_rows.hpp"

#include "detail/field_decoder.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace pgfns::detail {
namespace json = boost::json;

boost::json::array rows_from_result(const PGresult* res, boost::json::storage_ptr sp) {
  struct column {
    std::string_view name;
    column_kind kind;
  };
  const int n_rows = PQntuples(res);
  const int n_cols = PQnfields(res);
  boost::container::small_vector<column, 16> cols;
  cols.reserve(static_cast<std::size_t>(n_cols));
  for (int c = 0; c < n_cols; ++c) {
    if (PQfformat(res, c) != 0)
      throw std::invalid_argument("pgfns: column \"" + std::string(PQfname(res, c)) +
                                  "\" is in binary format; pgfns reads text results only");
    cols.push_back({PQfname(res, c), classify(PQftype(res, c))});
  }

  field_decoder decoder(sp);
  json::array rows(sp);
  rows.reserve(static_cast<std::size_t>(n_rows));
  for (int r = 0; r < n_rows; ++r) {
    json::object& row = rows.emplace_back(json::object(sp)).get_object();
    row.reserve(static_cast<std::size_t>(n_cols));
    for (int c = 0; c < n_cols; ++c) {
      if (PQgetisnull(res, r, c)) {
        row.insert_or_assign(cols[c].name, nullptr);
        continue;
      }
      const std::string_view text(PQgetvalue(res, r, c),
                                  static_cast<std::size_t>(PQgetlength(res, r, c)));
      row.insert_or_assign(cols[c].name, decoder.decode(cols[c].kind, text));
    }
  }
  return rows;
}

namespace {

// A first arena block that holds a typical result whole: per row the object and its slots, per
// field a key and a short value. Larger results make the arena grow (geometrically).
std::size_t arena_size(const PGresult* res) {
  const auto rows = static_cast<std::size_t>(PQntuples(res));
  const auto cols = static_cast<std::size_t>(PQnfields(res));
  std::size_t names = 0;
  for (std::size_t c = 0; c < cols; ++c) names += std::strlen(PQfname(res, static_cast<int>(c)));
  const std::size_t per_row =
      sizeof(json::value) + 64 + cols * (sizeof(json::key_value_pair) + 24) + names + cols;
  return std::clamp<std::size_t>(64 + rows * per_row, 256, std::size_t(1) << 20);
}

}  // namespace

void assign_rows_in_own_storage(json::array& rows, const PGresult* res) {
  json::array built =
      rows_from_result(res, json::make_shared_resource<json::monotonic_resource>(arena_size(res)));
  std::destroy_at(&rows);
  std::construct_at(&rows, std::move(built));  // noexcept: keeps the arena
}

}  // namespace pgfns::detail

#include "detail/result_rows.hpp"

#include "detail/field_decoder.hpp"

#include <boost/container/small_vector.hpp>
#include <boost/json/object.hpp>

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

}  // namespace pgfns::detail

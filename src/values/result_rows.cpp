#include "values/result_rows.hpp"

#include "values/field_decoder.hpp"

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
      try {
        row.insert_or_assign(cols[c].name, decoder.decode(cols[c].kind, text));
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("column \"" + std::string(cols[c].name) + "\" of row " +
                                    std::to_string(r + 1) + ": " + e.what());
      }
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

// The arena of a small result with its first block inside it: the whole arena is then one
// allocation (a block small enough for malloc's fast per-thread cache).
class small_arena final : public json::memory_resource {
 public:
  static constexpr std::size_t capacity = 768;

 private:
  void* do_allocate(std::size_t n, std::size_t align) override { return arena_.allocate(n, align); }
  void do_deallocate(void*, std::size_t, std::size_t) override {}
  bool do_is_equal(const json::memory_resource& other) const noexcept override {
    return this == &other;
  }

  alignas(std::max_align_t) unsigned char first_[capacity];
  json::monotonic_resource arena_{first_, capacity};
};

json::storage_ptr arena_for(const PGresult* res) {
  const std::size_t size = arena_size(res);
  if (size <= small_arena::capacity) return json::make_shared_resource<small_arena>();
  return json::make_shared_resource<json::monotonic_resource>(size);
}

}  // namespace

void assign_rows_in_own_storage(json::array& rows, const PGresult* res) {
  json::array built = rows_from_result(res, arena_for(res));
  std::destroy_at(&rows);
  std::construct_at(&rows, std::move(built));  // noexcept: keeps the arena
}

}  // namespace pgfns::detail

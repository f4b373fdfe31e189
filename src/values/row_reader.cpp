// The compiled side of pgfns/row_reader.hpp and of the result checks of typed calls: a field
// that does not decode named by column and row, parameters written in place into the call's
// param_buffer, and a result whose shape is not the one the bindings were generated for.
#include <pgfns/row_reader.hpp>
#include <pgfns/typed_call.hpp>

#include "common/utf8.hpp"
#include "values/param_buffer.hpp"

#include <stdexcept>
#include <string>

namespace pgfns {

void row_reader::throw_field_error(int row, int column, const std::exception& e) const {
  std::string message = "column \"";
  message += detail::printable(column_name(column));
  message += "\", row ";
  message += std::to_string(row + 1);
  message += ": ";
  message += e.what();
  throw std::invalid_argument(message);
}

void param_writer::add_null() {
  buffer_->add_null();
}
std::string& param_writer::begin() {
  return buffer_->begin_text();
}
void param_writer::end() {
  buffer_->end_text();
}
void param_writer::abandon() {
  buffer_->drop_text();
}

namespace detail {
namespace {

template <class Name>
std::string column_list(int count, Name name) {
  std::string out = "(";
  for (int i = 0; i < count; ++i) {
    if (i) out += ", ";
    out += printable(name(i));
  }
  return out + ")";
}

std::string columns_of(const row_reader& r) {
  return column_list(r.columns(), [&](int i) { return r.column_name(i); });
}

}  // namespace

void check_columns(const row_reader& r, const std::string_view* expected, std::size_t count) {
  bool same = static_cast<std::size_t>(r.columns()) == count;
  for (std::size_t i = 0; same && i < count; ++i)
    same = r.column_name(static_cast<int>(i)) == expected[i];
  if (same) return;
  throw std::invalid_argument(
      "the result has columns " + columns_of(r) + " but the bindings expect " +
      column_list(static_cast<int>(count), [&](int i) { return expected[i]; }) +
      ": regenerate the bindings");
}

void check_scalar_shape(const row_reader& r, bool one_row) {
  if (r.columns() != 1) {
    throw std::invalid_argument("the result has columns " + columns_of(r) +
                                " but the bindings expect one column: regenerate the bindings");
  }
  if (one_row && r.rows() != 1) {
    throw std::invalid_argument("the result has " + std::to_string(r.rows()) +
                                " rows but the bindings expect one: regenerate the bindings");
  }
}

}  // namespace detail
}  // namespace pgfns

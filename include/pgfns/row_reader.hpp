// What typed bindings read a result with and write arguments into: the fields of a libpq
// result in text format, and the text parameters of one call. Generated code uses them; a
// service rarely needs to.
#pragma once

#include <pgfns/text_format.hpp>

#include <libpq-fe.h>

#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace pgfns {

namespace detail {
class param_buffer;
}

// The rows of one result (text format), valid while the call decodes it.
class row_reader {
 public:
  explicit row_reader(const PGresult* result) noexcept : result_(result) {}

  int rows() const noexcept { return PQntuples(result_); }
  int columns() const noexcept { return PQnfields(result_); }
  std::string_view column_name(int column) const noexcept { return PQfname(result_, column); }
  bool is_null(int row, int column) const noexcept {
    return PQgetisnull(result_, row, column) != 0;
  }
  std::string_view text(int row, int column) const noexcept {
    return {PQgetvalue(result_, row, column),
            static_cast<std::size_t>(PQgetlength(result_, row, column))};
  }

  // The field at (row, column): std::nullopt for NULL, else text_format<T>::read of its text.
  // Throws std::invalid_argument naming the column and the row (counted from 1) with the
  // reason, e.g. `column "price", row 3: not a numeric: "abc"`.
  template <class T>
  void read(int row, int column, std::optional<T>& out) const {
    if (is_null(row, column)) {
      out.reset();
      return;
    }
    try {
      out = text_format<T>::read(text(row, column));
    } catch (const std::exception& e) {
      throw_field_error(row, column, e);
    }
  }

 private:
  [[noreturn]] void throw_field_error(int row, int column, const std::exception& e) const;

  const PGresult* result_;
};

// The text parameters of one call, in order.
class param_writer {
 public:
  explicit param_writer(detail::param_buffer& buffer) noexcept : buffer_(&buffer) {}

  // Appends the next parameter: SQL NULL for std::nullopt, else text_format<T>::write of the
  // value. Throws what write throws (the call then fails with errc::bad_arguments naming the
  // argument, and nothing is sent).
  template <class T>
  void add(const std::optional<T>& v) {
    if (!v) return add_null();
    std::string& out = begin();
    try {
      text_format<T>::write(*v, out);
    } catch (...) {
      abandon();
      throw;
    }
    end();
  }

 private:
  void add_null();
  std::string& begin();  // the buffer's text, to append the value to
  void end();            // the value appended is the next parameter
  void abandon();        // drops what was appended since begin()

  detail::param_buffer* buffer_;
};

}  // namespace pgfns

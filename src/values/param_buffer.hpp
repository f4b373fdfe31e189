// The text-format parameters of one statement execution, packed into one reusable buffer: the
// `paramValues` array that PQexecPrepared / PQsendQueryPrepared take. Up to `inline_params`
// parameters (and 15 bytes of text) it allocates nothing at all; beyond, once its buffers have
// grown to the largest call, filling it allocates nothing.
#pragma once

#include <pgfns/value.hpp>

#include <boost/container/small_vector.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <string>

namespace pgfns::detail {

class param_buffer {
 public:
  // Forgets the parameters, keeping the memory.
  void clear() noexcept;

  // Appends the next parameter, `v` encoded for a parameter of type `type` (0 when unknown) by
  // pgfns::encode_param. Throws what encode_param throws; the buffer then holds the parameters
  // added before.
  void add(const boost::json::value& v, oid_t type);

  // Appends an SQL NULL as the next parameter.
  void add_null();
  // A parameter written in place: begin_text() gives the text to append the value to, then
  // either end_text() makes what was appended the next parameter or drop_text() forgets it.
  // Neither allocates once the buffer has grown to the largest call.
  std::string& begin_text() noexcept;
  void end_text();
  void drop_text() noexcept;

  int size() const noexcept { return static_cast<int>(offsets_.size()); }

  // One NUL-terminated text (nullptr for SQL NULL) per parameter, in the order added. Valid
  // until the next clear() or add().
  const char* const* values();

 private:
  static constexpr std::ptrdiff_t null_param = -1;
  static constexpr std::size_t inline_params = 8;
  std::string text_;      // each non-NULL value followed by '\0'
  std::size_t open_ = 0;  // where the value begun by begin_text() starts in text_
  // Where each value starts in text_, or null_param.
  boost::container::small_vector<std::ptrdiff_t, inline_params> offsets_;
  boost::container::small_vector<const char*, inline_params> values_;
};

}  // namespace pgfns::detail

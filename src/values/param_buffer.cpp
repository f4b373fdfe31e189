#include "values/param_buffer.hpp"

namespace pgfns::detail {

void param_buffer::clear() noexcept {
  text_.clear();
  offsets_.clear();
}

void param_buffer::add(const boost::json::value& v, oid_t type) {
  const std::size_t start = text_.size();
  bool not_null = false;
  try {
    not_null = encode_param(v, type, text_);
  } catch (...) {
    text_.resize(start);
    throw;
  }
  if (not_null) text_.push_back('\0');
  offsets_.push_back(not_null ? static_cast<std::ptrdiff_t>(start) : null_param);
}

const char* const* param_buffer::values() {
  values_.resize(offsets_.size());
  for (std::size_t i = 0; i < offsets_.size(); ++i)
    values_[i] = offsets_[i] == null_param ? nullptr : text_.data() + offsets_[i];
  return values_.data();
}

}  // namespace pgfns::detail

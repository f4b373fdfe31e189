#include "values/param_buffer.hpp"

namespace pgfns::detail {

void param_buffer::clear() noexcept {
  text_.clear();
  offsets_.clear();
}

void param_buffer::add(const boost::json::value& v, oid_t type) {
  std::string& out = begin_text();
  bool not_null = false;
  try {
    not_null = encode_param(v, type, out);
  } catch (...) {
    drop_text();
    throw;
  }
  if (not_null) return end_text();
  drop_text();
  add_null();
}

void param_buffer::add_null() {
  offsets_.push_back(null_param);
}

std::string& param_buffer::begin_text() noexcept {
  open_ = text_.size();
  return text_;
}

void param_buffer::end_text() {
  text_.push_back('\0');
  offsets_.push_back(static_cast<std::ptrdiff_t>(open_));
}

void param_buffer::drop_text() noexcept {
  text_.resize(open_);
}

const char* const* param_buffer::values() {
  values_.resize(offsets_.size());
  for (std::size_t i = 0; i < offsets_.size(); ++i)
    values_[i] = offsets_[i] == null_param ? nullptr : text_.data() + offsets_[i];
  return values_.data();
}

}  // namespace pgfns::detail

// PostgreSQL's text format for the C++ types of typed bindings (pgfns/types.hpp has the table):
// text_format<T>::write appends a value as a parameter's text, text_format<T>::read turns a
// field's text back into a value. Both throw std::invalid_argument with a short reason ("not an
// integer: \"12x\"", "out of range for int16: \"70000\"") for what they refuse: a NUL byte in a
// text, a field that is not of the type. NULL is not a value here: bindings wrap values in
// std::optional and send or read NULL themselves.
//
// Arrays (std::vector<T>) use PostgreSQL's array literal ({1,2}, {"a b","c\"d"}); reading one
// refuses a NULL element, a multi-dimensional array and a lower bound other than 1 (the reason
// says which). Enums: a specialisation of pgfns::enum_labels<E> (generated) gives the labels in
// declaration order, and text_format<E> follows from it.
#pragma once

#include <pgfns/types.hpp>

#include <boost/json/value.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace pgfns {

template <class T>
struct text_format;  // specialised below for every mapped type

template <>
struct text_format<bool> {
  static void write(const bool& v, std::string& out);
  static bool read(std::string_view text);
};
template <>
struct text_format<std::int16_t> {
  static void write(const std::int16_t& v, std::string& out);
  static std::int16_t read(std::string_view text);
};
template <>
struct text_format<std::int32_t> {
  static void write(const std::int32_t& v, std::string& out);
  static std::int32_t read(std::string_view text);
};
template <>
struct text_format<std::int64_t> {
  static void write(const std::int64_t& v, std::string& out);
  static std::int64_t read(std::string_view text);
};
template <>
struct text_format<float> {
  static void write(const float& v, std::string& out);
  static float read(std::string_view text);
};
template <>
struct text_format<double> {
  static void write(const double& v, std::string& out);
  static double read(std::string_view text);
};
template <>
struct text_format<std::string> {
  static void write(const std::string& v, std::string& out);
  static std::string read(std::string_view text);
};
template <>
struct text_format<uuid> {
  static void write(const uuid& v, std::string& out);
  static uuid read(std::string_view text);
};
template <>
struct text_format<numeric> {
  static void write(const numeric& v, std::string& out);
  static numeric read(std::string_view text);
};
template <>
struct text_format<timestamptz> {
  static void write(const timestamptz& v, std::string& out);
  static timestamptz read(std::string_view text);
};
template <>
struct text_format<timestamp> {
  static void write(const timestamp& v, std::string& out);
  static timestamp read(std::string_view text);
};
template <>
struct text_format<date> {
  static void write(const date& v, std::string& out);
  static date read(std::string_view text);
};
template <>
struct text_format<interval> {
  static void write(const interval& v, std::string& out);
  static interval read(std::string_view text);
};
template <>
struct text_format<boost::json::value> {
  static void write(const boost::json::value& v, std::string& out);
  static boost::json::value read(std::string_view text);
};
template <>
struct text_format<bytea> {
  static void write(const bytea& v, std::string& out);
  static bytea read(std::string_view text);
};

namespace detail {

// The array literal's pieces, shared by every element type (compiled in src/values).
// Appends `element` (already in text format) quoted and escaped as an array element.
void append_array_element(std::string& out, std::string_view element);
// Splits a one-dimensional array literal into its elements, unescaped, in order; throws
// std::invalid_argument for a NULL element, more than one dimension, explicit bounds, or a
// malformed literal. `scratch` holds unescaped elements (the views point into it or `text`).
std::vector<std::string_view> split_array(std::string_view text, std::string& scratch);

template <class T>
concept has_labels = requires {
  T::labels;
};

}  // namespace detail

template <class T>
struct text_format<std::vector<T>> {
  static void write(const std::vector<T>& v, std::string& out) {
    out.push_back('{');
    std::string element;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out.push_back(',');
      element.clear();
      text_format<T>::write(v[i], element);
      detail::append_array_element(out, element);
    }
    out.push_back('}');
  }
  static std::vector<T> read(std::string_view text) {
    std::string scratch;
    std::vector<T> out;
    const auto elements = detail::split_array(text, scratch);
    out.reserve(elements.size());
    for (std::string_view e : elements) out.push_back(text_format<T>::read(e));
    return out;
  }
};

// Specialise for a generated enum: static constexpr std::array<std::string_view, N> labels,
// in the enum's declaration order (the enumerators are 0..N-1), and static constexpr
// std::string_view sql_name.
template <class E>
struct enum_labels;

template <class E>
requires std::is_enum_v<E> && detail::has_labels<enum_labels<E>>
struct text_format<E> {
  static void write(const E& v, std::string& out) {
    const auto i = static_cast<std::size_t>(v);
    if (i >= enum_labels<E>::labels.size())
      throw std::invalid_argument("not a label of " + std::string(enum_labels<E>::sql_name) +
                                  ": value " + std::to_string(i));
    out += enum_labels<E>::labels[i];
  }
  static E read(std::string_view text) {
    for (std::size_t i = 0; i < enum_labels<E>::labels.size(); ++i)
      if (enum_labels<E>::labels[i] == text) return static_cast<E>(i);
    throw std::invalid_argument("not a label of " + std::string(enum_labels<E>::sql_name) + ": \"" +
                                std::string(text) + "\"");
  }
};

}  // namespace pgfns

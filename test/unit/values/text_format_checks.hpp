// Checks shared by the text_format unit tests: a value written and read back, and a refusal.
#pragma once

#include <pgfns/text_format.hpp>

#include "values/text_refusal.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace pgfns::test {

template <class T>
std::string written(const T& v) {
  std::string out;
  text_format<T>::write(v, out);
  return out;
}

// `text` is what `value` is written as, and reads back as `value`.
template <class T>
void check_text(const T& value, std::string_view text) {
  BOOST_TEST_CONTEXT("text " << text) {
    BOOST_TEST(written(value) == text);
    BOOST_TEST((text_format<T>::read(text) == value));
  }
}

// Reading `text` as T throws std::invalid_argument: one line with `reason` and `text` quoted.
template <class T>
void check_refused(std::string_view text, std::string_view reason) {
  BOOST_TEST_CONTEXT("text " << text) {
    try {
      (void)text_format<T>::read(text);
      BOOST_ERROR("no exception");
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      BOOST_TEST(what.find(reason) != std::string::npos, what);
      BOOST_TEST(what.find(detail::quoted_excerpt(text)) != std::string::npos, what);
      BOOST_TEST(what.find('\n') == std::string::npos, what);
    }
  }
}

// Writing `value` throws std::invalid_argument with `reason`.
template <class T>
void check_write_refused(const T& value, std::string_view reason) {
  try {
    std::string out;
    text_format<T>::write(value, out);
    BOOST_ERROR("no exception, wrote " << out);
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string_view(e.what()).find(reason) != std::string_view::npos, e.what());
  }
}

}  // namespace pgfns::test

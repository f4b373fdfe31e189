// text_format for bool, int16/32/64 and std::string: what PostgreSQL prints reads back exactly,
// anything else is refused with a one-line reason naming the type, and writes are what the
// server reads.
#include <pgfns/text_format.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

template <class T>
std::string written(const T& v) {
  std::string out = "before:";
  pgfns::text_format<T>::write(v, out);  // appends
  BOOST_TEST(out.starts_with("before:"));
  return out.substr(7);
}

// The reason read() refuses `text` with.
template <class T>
std::string refusal(std::string_view text) {
  try {
    pgfns::text_format<T>::read(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(text_format_scalars)

BOOST_AUTO_TEST_CASE(booleans_are_t_and_f) {
  BOOST_TEST(written(true) == "t");
  BOOST_TEST(written(false) == "f");
  BOOST_TEST(pgfns::text_format<bool>::read("t"));
  BOOST_TEST(pgfns::text_format<bool>::read("true"));
  BOOST_TEST(!pgfns::text_format<bool>::read("f"));
  BOOST_TEST(!pgfns::text_format<bool>::read("false"));
  BOOST_TEST(refusal<bool>("yes") == R"(not a boolean: "yes")");
  BOOST_TEST(refusal<bool>("T") == R"(not a boolean: "T")");
  BOOST_TEST(refusal<bool>("") == R"(not a boolean: "")");
  BOOST_TEST(refusal<bool>("1") == R"(not a boolean: "1")");
}

BOOST_AUTO_TEST_CASE(integers_round_trip_to_their_limits) {
  using i16 = std::numeric_limits<std::int16_t>;
  using i32 = std::numeric_limits<std::int32_t>;
  using i64 = std::numeric_limits<std::int64_t>;
  BOOST_TEST(written(std::int16_t{-32768}) == "-32768");
  BOOST_TEST(written(std::int32_t{2147483647}) == "2147483647");
  BOOST_TEST(written(i64::min()) == "-9223372036854775808");
  BOOST_TEST(written(std::int32_t{0}) == "0");
  BOOST_TEST(pgfns::text_format<std::int16_t>::read("32767") == i16::max());
  BOOST_TEST(pgfns::text_format<std::int16_t>::read("-32768") == i16::min());
  BOOST_TEST(pgfns::text_format<std::int32_t>::read("-2147483648") == i32::min());
  BOOST_TEST(pgfns::text_format<std::int64_t>::read("9223372036854775807") == i64::max());
  BOOST_TEST(pgfns::text_format<std::int64_t>::read("-9223372036854775808") == i64::min());
  BOOST_TEST(pgfns::text_format<std::int32_t>::read("-0") == 0);
}

BOOST_AUTO_TEST_CASE(integers_refuse_all_but_a_minus_and_digits) {
  for (std::string_view text :
       {"", "-", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "12x", "--1", "١٢", "NaN"}) {
    BOOST_TEST(refusal<std::int32_t>(text) == "not an int32: \"" + std::string(text) + "\"", text);
  }
  BOOST_TEST(refusal<std::int16_t>("1.5") == R"(not an int16: "1.5")");
  BOOST_TEST(refusal<std::int64_t>("abc") == R"(not an int64: "abc")");
}

BOOST_AUTO_TEST_CASE(integers_out_of_range_name_their_type) {
  BOOST_TEST(refusal<std::int16_t>("70000") == R"(out of range for int16: "70000")");
  BOOST_TEST(refusal<std::int16_t>("-32769") == R"(out of range for int16: "-32769")");
  BOOST_TEST(refusal<std::int32_t>("2147483648") == R"(out of range for int32: "2147483648")");
  BOOST_TEST(refusal<std::int64_t>("9223372036854775808") ==
             R"(out of range for int64: "9223372036854775808")");
  // Out of range and then not digits: not an integer at all.
  BOOST_TEST(refusal<std::int16_t>("70000x") == R"(not an int16: "70000x")");
}

BOOST_AUTO_TEST_CASE(a_refused_text_is_shown_on_one_line_and_cut_short) {
  BOOST_TEST(refusal<std::int32_t>("1\n2") == R"(not an int32: "1\x0a2")");
  const std::string long_text(100, '7');
  BOOST_TEST(refusal<std::int64_t>(long_text) ==
             "out of range for int64: \"" + std::string(40, '7') + "...\"");
  // Cut at 40 characters, not bytes: a UTF-8 character is never split.
  std::string accents(39, 'x');
  accents.append("\xc3\xa9\xc3\xa9");  // appended: g++ 12 -O2 misreads operator+ here
  std::string shown = "not a boolean: \"";
  shown.append(accents, 0, 41).append("...\"");
  BOOST_TEST(refusal<bool>(accents) == shown);
}

BOOST_AUTO_TEST_CASE(texts_are_kept_as_they_are_and_a_nul_byte_is_refused) {
  BOOST_TEST(written(std::string("a \"b\" \\ c, {}")) == "a \"b\" \\ c, {}");
  BOOST_TEST(written(std::string()) == "");
  BOOST_TEST(pgfns::text_format<std::string>::read("x\ty") == "x\ty");
  std::string out = "kept";
  try {
    pgfns::text_format<std::string>::write(std::string("ab\0c", 4), out);
    BOOST_FAIL("a NUL byte was written");
  } catch (const std::invalid_argument& e) {
    BOOST_TEST(std::string(e.what()) ==
               "a text with a NUL byte (at byte 3), which PostgreSQL text cannot hold");
  }
  BOOST_TEST(out == "kept");
}

BOOST_AUTO_TEST_SUITE_END()

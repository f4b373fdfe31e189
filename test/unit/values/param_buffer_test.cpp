// param_buffer: the paramValues array of a call, with NULLs, reuse and a refused argument.
#include "values/param_buffer.hpp"
#include "values/pg_types.hpp"

#include <pgfns/row_reader.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// Every allocation of this program is counted, so that a test can tell that a stretch of code
// allocates nothing. Never inlined: an inlined delete calls free() where another library's new
// went through operator new, which valgrind reports as a mismatch (valgrind also replaces these
// functions, so under valgrind nothing is counted and the check holds trivially).
namespace {
thread_local long allocations = 0;
}
[[gnu::noinline]] void* operator new(std::size_t n) {
  ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace json = boost::json;
namespace oid = pgfns::detail::pg_oid;

BOOST_AUTO_TEST_SUITE(param_buffer)

BOOST_AUTO_TEST_CASE(values_point_at_each_encoded_parameter) {
  pgfns::detail::param_buffer params;
  params.add(42, oid::int4);
  params.add(nullptr, oid::text);
  params.add("abc", oid::jsonb);
  // Long enough to make the buffer grow after the first values were placed.
  const std::string long_text(1000, 'x');
  params.add(json::string(long_text), oid::text);
  params.add(json::parse(R"(["a b", null])"), 1009);
  BOOST_TEST_REQUIRE(params.size() == 5);
  const char* const* v = params.values();
  BOOST_TEST(std::string_view(v[0]) == "42");
  BOOST_TEST(v[1] == nullptr);
  BOOST_TEST(std::string_view(v[2]) == R"("abc")");
  BOOST_TEST(std::string_view(v[3]) == long_text);
  BOOST_TEST(std::string_view(v[4]) == R"({"a b",NULL})");
}

BOOST_AUTO_TEST_CASE(clear_starts_a_new_call) {
  pgfns::detail::param_buffer params;
  params.add("first", oid::text);
  params.clear();
  BOOST_TEST(params.size() == 0);
  params.add(true, oid::boolean);
  BOOST_TEST_REQUIRE(params.size() == 1);
  BOOST_TEST(std::string_view(params.values()[0]) == "true");
}

BOOST_AUTO_TEST_CASE(a_refused_argument_leaves_the_earlier_ones) {
  pgfns::detail::param_buffer params;
  params.add("kept", oid::text);
  const json::value with_nul = json::string(std::string_view("a\0b", 3));
  BOOST_CHECK_THROW(params.add(with_nul, oid::text), std::invalid_argument);
  params.add(7, oid::int8);
  BOOST_TEST_REQUIRE(params.size() == 2);
  BOOST_TEST(std::string_view(params.values()[0]) == "kept");
  BOOST_TEST(std::string_view(params.values()[1]) == "7");
}

BOOST_AUTO_TEST_CASE(a_grown_buffer_writes_the_next_call_without_allocating) {
  std::vector<std::optional<std::string>> texts;
  for (int i = 0; i < 12; ++i)
    texts.emplace_back(std::string(100 + static_cast<std::size_t>(i), 'x'));
  texts.emplace_back();  // NULL
  const std::optional<std::int64_t> number = 1234567890123;
  pgfns::detail::param_buffer params;
  auto fill = [&] {
    params.clear();
    pgfns::param_writer out(params);
    for (const auto& t : texts) out.add(t);
    out.add(number);
    return params.values();
  };
  fill();  // the first call grows the buffer
  const long before = allocations;
  const char* const* v = fill();
  BOOST_TEST(allocations == before);
  BOOST_TEST_REQUIRE(params.size() == 14);
  BOOST_TEST(v[12] == nullptr);
  BOOST_TEST(std::string_view(v[13]) == "1234567890123");
  BOOST_TEST(std::string_view(v[11]) == std::string(111, 'x'));
}

BOOST_AUTO_TEST_SUITE_END()

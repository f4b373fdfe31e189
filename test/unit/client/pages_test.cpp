// pgfns::pages without a server: the fetch functions here serve a list of numbers, and record
// what they were asked. By offset and by index, rows and whole pages, the end at the first
// empty page, and a failed fetch that leaves the position for the next attempt.
#include <pgfns/pages.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using boost::asio::awaitable;

namespace {

// Runs `body` on a fresh io_context; rethrows what it throws.
void run(std::function<awaitable<void>()> body) {
  boost::asio::io_context ioc;
  std::exception_ptr failed;
  boost::asio::co_spawn(ioc, body(), [&](std::exception_ptr e) { failed = e; });
  ioc.run();
  if (failed) std::rethrow_exception(failed);
}

// The numbers 1..n, served by offset or after a number, with a record of each request.
struct numbers {
  int n;
  std::vector<std::string> asked;
  int fail_next = 0;  // the next fetches that throw

  std::vector<int> from(std::size_t size, int after) const {
    std::vector<int> out;
    for (int i = after + 1; i <= n && out.size() < size; ++i) out.push_back(i);
    return out;
  }
  awaitable<std::vector<int>> by_offset(std::size_t size, std::size_t offset) {
    asked.push_back("size " + std::to_string(size) + " offset " + std::to_string(offset));
    if (fail_next > 0 && fail_next--) throw std::runtime_error("the server went away");
    co_return from(size, static_cast<int>(offset));
  }
  awaitable<std::vector<int>> by_index(std::size_t size, const int* last) {
    asked.push_back("size " + std::to_string(size) + " after " +
                    (last ? std::to_string(*last) : std::string("none")));
    if (fail_next > 0 && fail_next--) throw std::runtime_error("the server went away");
    co_return from(size, last ? *last : 0);
  }
  pgfns::pages<int> offset_pages(std::size_t size) {
    return pgfns::pages<int>::by_offset(
        size, [this](std::size_t s, std::size_t o) { return by_offset(s, o); });
  }
  pgfns::pages<int> index_pages(std::size_t size) {
    return pgfns::pages<int>::by_index(
        size, [this](std::size_t s, const int* last) { return by_index(s, last); });
  }
};

awaitable<std::vector<int>> all_rows(pgfns::pages<int>& p) {
  std::vector<int> out;
  while (std::optional<int> row = co_await p.next()) out.push_back(*row);
  co_return out;
}

std::vector<int> one_to(int n) {
  std::vector<int> out;
  for (int i = 1; i <= n; ++i) out.push_back(i);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pages)

BOOST_AUTO_TEST_CASE(by_offset_every_row_once_and_the_end_at_the_first_empty_page) {
  numbers src{7, {}};
  run([&]() -> awaitable<void> {
    auto p = src.offset_pages(3);
    const std::vector<int> rows = co_await all_rows(p);
    BOOST_TEST(rows == one_to(7), boost::test_tools::per_element());
    BOOST_TEST(p.done());
    BOOST_TEST(p.calls() == 4u);
    // After the end, no other call.
    const std::optional<int> after_end = co_await p.next();
    BOOST_TEST(!after_end.has_value());
    const std::vector<int> page_after_end = co_await p.next_page();
    BOOST_TEST(page_after_end.empty());
    BOOST_TEST(p.calls() == 4u);
  });
  const std::vector<std::string> expected{"size 3 offset 0", "size 3 offset 3", "size 3 offset 6",
                                          "size 3 offset 7"};
  BOOST_TEST(src.asked == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(by_index_each_page_after_the_last_row_of_the_one_before) {
  numbers src{6, {}};
  run([&]() -> awaitable<void> {
    auto p = src.index_pages(2);
    std::vector<std::vector<int>> got;
    for (;;) {
      std::vector<int> page = co_await p.next_page();
      if (page.empty()) break;
      got.push_back(page);
    }
    const std::vector<std::vector<int>> expected{{1, 2}, {3, 4}, {5, 6}};
    BOOST_TEST((got == expected));
    BOOST_TEST(p.done());
  });
  const std::vector<std::string> expected{"size 2 after none", "size 2 after 2", "size 2 after 4",
                                          "size 2 after 6"};
  BOOST_TEST(src.asked == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_empty_method_takes_one_call) {
  numbers src{0, {}};
  run([&]() -> awaitable<void> {
    auto p = src.index_pages(5);
    const std::optional<int> row = co_await p.next();
    BOOST_TEST(!row.has_value());
    BOOST_TEST(p.done());
    BOOST_TEST(p.calls() == 1u);
  });
}

BOOST_AUTO_TEST_CASE(next_page_after_some_rows_gives_the_rest_of_that_page) {
  numbers src{5, {}};
  run([&]() -> awaitable<void> {
    auto p = src.offset_pages(3);
    const std::optional<int> first = co_await p.next();
    BOOST_TEST((first == std::optional<int>(1)));
    BOOST_TEST(!p.done());
    const std::vector<int> rest = co_await p.next_page();
    BOOST_TEST((rest == std::vector<int>{2, 3}));
    const std::vector<int> second = co_await p.next_page();
    BOOST_TEST((second == std::vector<int>{4, 5}));
    const std::vector<int> end = co_await p.next_page();
    BOOST_TEST(end.empty());
    BOOST_TEST(p.calls() == 3u);
  });
}

BOOST_AUTO_TEST_CASE(a_failed_fetch_reaches_the_caller_and_the_same_page_is_asked_again) {
  for (bool index : {false, true}) {
    numbers src{5, {}};
    run([&]() -> awaitable<void> {
      auto p = index ? src.index_pages(2) : src.offset_pages(2);
      const std::optional<int> one = co_await p.next();
      const std::optional<int> two = co_await p.next();
      BOOST_TEST((one == std::optional<int>(1) && two == std::optional<int>(2)));
      src.fail_next = 1;
      bool threw = false;
      try {
        co_await p.next();
      } catch (const std::runtime_error& e) {
        threw = std::string(e.what()) == "the server went away";
      }
      BOOST_TEST(threw);
      BOOST_TEST(!p.done());
      // Nothing skipped, nothing twice.
      const std::vector<int> rest = co_await all_rows(p);
      BOOST_TEST((rest == std::vector<int>{3, 4, 5}));
    });
    const std::string second = index ? "size 2 after 2" : "size 2 offset 2";
    BOOST_REQUIRE(src.asked.size() == 5u);
    BOOST_TEST(src.asked[1] == second);
    BOOST_TEST(src.asked[2] == second);
  }
}

BOOST_AUTO_TEST_CASE(a_fetch_that_ignores_the_last_row_is_stopped_at_its_second_page) {
  int calls = 0;
  run([&]() -> awaitable<void> {
    auto p = pgfns::pages<int>::by_index(
        2,
        [&](std::size_t, const int*) -> awaitable<std::vector<int>> {
          ++calls;
          co_return std::vector<int>{1, 2};
        },
        "list_things");
    const std::vector<int> first = co_await p.next_page();
    BOOST_TEST((first == std::vector<int>{1, 2}));
    try {
      co_await p.next_page();
      BOOST_FAIL("a second page equal to the first was taken");
    } catch (const pgfns::error& e) {
      BOOST_TEST(e.code() == pgfns::errc::bad_arguments);
      BOOST_TEST(e.diag().method == "list_things");
      BOOST_TEST(e.diag().message ==
                 "page 2 of list_things ended with the same row as the page before: the method "
                 "does not page after the row it is given, and would never end");
    }
  });
  BOOST_TEST(calls == 2);
}

BOOST_AUTO_TEST_CASE(a_page_size_of_zero_or_no_fetch_is_refused) {
  BOOST_CHECK_THROW(
      pgfns::pages<int>::by_offset(0,
                                   [](std::size_t, std::size_t) -> awaitable<std::vector<int>> {
                                     co_return std::vector<int>{};
                                   }),
      std::invalid_argument);
  BOOST_CHECK_THROW(pgfns::pages<int>::by_index(1, {}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

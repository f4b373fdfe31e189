// Calling a method page by page, as Taskcluster's paginatedIterator does: by offset (each page
// asks for `size` rows after the `offset` rows already seen) or by index columns (each page asks
// for the rows after the last row of the page before), stopping at the first empty page.
//
//   auto products = pgfns::call_pages_by_index(db, "list_products_after", {}, {"product_id"},
//                                              100, "limit_in");
//   while (auto row = co_await products.next()) use(*row);
//
// pages<Row> works with any fetch function, so typed bindings page the same way:
//
//   auto pages = pgfns::pages<shop::catalog::list_products_after_row>::by_index(
//       100, [&](std::size_t size, const auto* last) {
//         return shop::catalog::list_products_after(
//             db, last ? std::optional(last->product_id) : std::nullopt, int(size));
//       });
//
// The end is the first empty page, so the last call returns nothing (a page shorter than `size`
// does not end it: a method may return fewer rows for other reasons). An error ends nothing and
// skips nothing: what the fetch throws (a failed call, a cancellation) reaches the caller of
// next() or next_page() and leaves the position where it was, so that the next call asks for
// the same page again. One pages object is used by one coroutine at a time.
#pragma once

#include <pgfns/database.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <concepts>
#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace pgfns {

template <class Row>
class pages {
 public:
  // fetch(size, offset): at most `size` rows, skipping the first `offset`.
  using offset_fetch =
      std::function<boost::asio::awaitable<std::vector<Row>>(std::size_t size, std::size_t offset)>;
  // fetch(size, last): at most `size` rows after `last`, the last row of the page before
  // (nullptr for the first page).
  using index_fetch =
      std::function<boost::asio::awaitable<std::vector<Row>>(std::size_t size, const Row* last)>;

  // Throws std::invalid_argument for a page size of 0 or an empty fetch function. `method`
  // names what is paged in errors (diagnostics::method).
  static pages by_offset(std::size_t page_size, offset_fetch fetch, std::string method = {}) {
    check(page_size, static_cast<bool>(fetch));
    pages p(page_size, std::move(method));
    p.by_offset_ = std::move(fetch);
    return p;
  }
  // When rows compare with ==, a page whose last row equals the one of the page before fails
  // with errc::bad_arguments: a fetch that ignores `last` would never end.
  static pages by_index(std::size_t page_size, index_fetch fetch, std::string method = {}) {
    check(page_size, static_cast<bool>(fetch));
    pages p(page_size, std::move(method));
    p.by_index_ = std::move(fetch);
    return p;
  }

  // The rows of the next page not yet taken by next(); empty at the end (and after it,
  // without another call).
  boost::asio::awaitable<std::vector<Row>> next_page() {
    if (taken_ < page_.size()) {
      std::vector<Row> rest(std::make_move_iterator(page_.begin() + taken_),
                            std::make_move_iterator(page_.end()));
      keep_last();
      co_return rest;
    }
    if (done_) co_return std::vector<Row>{};
    // (No co_await inside ?: : GCC 12 miscompiles it.)
    std::vector<Row> rows;
    if (by_offset_) {
      rows = co_await by_offset_(size_, offset_);
    } else {
      rows = co_await by_index_(size_, last_ ? &*last_ : nullptr);
    }
    ++fetched_;
    if (rows.empty()) {
      done_ = true;
      co_return rows;
    }
    if constexpr (std::equality_comparable<Row>) {
      if (by_index_ && last_ && rows.back() == *last_) refuse_repeated_page();
    }
    offset_ += rows.size();
    last_ = rows.back();
    page_.clear();
    taken_ = 0;
    co_return rows;
  }

  // The next row; nullopt at the end.
  boost::asio::awaitable<std::optional<Row>> next() {
    if (taken_ == page_.size()) {
      page_ = co_await next_page();
      taken_ = 0;
      if (page_.empty()) co_return std::nullopt;
    }
    co_return std::optional<Row>(std::move(page_[taken_++]));
  }

  // Whether the empty page that ends the iteration came.
  bool done() const noexcept { return done_ && taken_ == page_.size(); }
  // The calls made so far (the pages fetched, the empty last one included).
  std::size_t calls() const noexcept { return fetched_; }
  std::size_t page_size() const noexcept { return size_; }

 private:
  pages(std::size_t size, std::string method) : size_(size), method_(std::move(method)) {}

  static void check(std::size_t page_size, bool have_fetch) {
    if (page_size == 0) throw std::invalid_argument("pgfns::pages: the page size is 0");
    if (!have_fetch) throw std::invalid_argument("pgfns::pages: no fetch function");
  }
  [[noreturn]] void refuse_repeated_page() const {
    diagnostics d;
    d.method = method_;
    d.message = "page " + std::to_string(fetched_) + (method_.empty() ? "" : " of " + method_) +
                " ended with the same row as the page before: the method does not page after "
                "the row it is given, and would never end";
    throw error(errc::bad_arguments, std::move(d));
  }
  // next_page() handed out the rest of a page next() had started: it is all taken.
  void keep_last() {
    page_.clear();
    taken_ = 0;
  }

  std::size_t size_;
  std::string method_;
  offset_fetch by_offset_;
  index_fetch by_index_;
  std::size_t offset_ = 0;
  std::optional<Row> last_;  // the last row of the last page fetched
  std::vector<Row> page_;    // the page next() takes rows from
  std::size_t taken_ = 0;
  std::size_t fetched_ = 0;
  bool done_ = false;
};

// db.call's rows page by page. `args` holds the method's other named arguments; each page adds
// `size_arg` (and, by offset, `offset_arg`). Calls are made with db.call, so a deprecated
// method is refused (errc::deprecated_method), and errors are thrown as pgfns::error.
pages<boost::json::object> call_pages_by_offset(database& db, std::string method,
                                                boost::json::object args, std::size_t page_size,
                                                std::string size_arg = "page_size_in",
                                                std::string offset_arg = "page_offset_in");
// By index columns: each page adds `after_<column>_in` for each of `index_columns`, null for
// the first page and the last row's `<column>` for the others. A row without one of them fails
// the page with errc::bad_arguments naming the method and the column; so does a page whose
// last row repeats the one before (a method that ignores its `after_..._in` arguments would
// never end). Taskcluster names these arguments so; a method named otherwise pages with
// pages<Row>.
pages<boost::json::object> call_pages_by_index(database& db, std::string method,
                                               boost::json::object args,
                                               std::vector<std::string> index_columns,
                                               std::size_t page_size,
                                               std::string size_arg = "page_size_in");

}  // namespace pgfns

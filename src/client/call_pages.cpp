// db.call's rows page by page (pgfns/pages.hpp): the fetch functions that add the page's named
// arguments to the caller's.
#include <pgfns/pages.hpp>

namespace pgfns {

namespace {

using json_rows = std::vector<boost::json::object>;

boost::asio::awaitable<json_rows> call_page(database& db, std::string method,
                                            boost::json::object args) {
  result r = co_await db.call(method, std::move(args));
  json_rows rows;
  rows.reserve(r.rows.size());
  for (boost::json::value& row : r.rows) rows.push_back(std::move(row.as_object()));
  co_return rows;
}

[[noreturn]] void refuse(const std::string& method, std::string message) {
  diagnostics d;
  d.method = method;
  d.message = std::move(message);
  throw error(errc::bad_arguments, std::move(d));
}

void check_page_size(std::size_t page_size) {
  // A page size the method's integer argument cannot hold would be refused by every call.
  if (page_size > 2147483647u) {
    throw std::invalid_argument("pgfns::pages: the page size " + std::to_string(page_size) +
                                " does not fit an integer argument");
  }
}

}  // namespace

pages<boost::json::object> call_pages_by_offset(database& db, std::string method,
                                                boost::json::object args, std::size_t page_size,
                                                std::string size_arg, std::string offset_arg) {
  check_page_size(page_size);
  return pages<boost::json::object>::by_offset(
      page_size,
      [&db, method, args = std::move(args), size_arg = std::move(size_arg),
       offset_arg = std::move(offset_arg)](std::size_t size, std::size_t offset) {
        boost::json::object a = args;
        a[size_arg] = size;
        a[offset_arg] = offset;
        return call_page(db, method, std::move(a));
      },
      method);
}

pages<boost::json::object> call_pages_by_index(database& db, std::string method,
                                               boost::json::object args,
                                               std::vector<std::string> index_columns,
                                               std::size_t page_size, std::string size_arg) {
  check_page_size(page_size);
  if (index_columns.empty()) {
    throw std::invalid_argument("pgfns::call_pages_by_index: no index column for method " + method);
  }
  return pages<boost::json::object>::by_index(
      page_size,
      [&db, method, args = std::move(args), columns = std::move(index_columns),
       size_arg = std::move(size_arg)](std::size_t size, const boost::json::object* last) {
        boost::json::object a = args;
        a[size_arg] = size;
        // The first page has every after_<column>_in null.
        for (const std::string& column : columns) {
          const boost::json::value* v = last ? last->if_contains(column) : nullptr;
          if (last && !v) {
            refuse(method, "the rows of " + method + " have no column " + column +
                               " to page by (index columns of call_pages_by_index)");
          }
          std::string name = "after_";
          name += column;
          name += "_in";
          a[name] = v ? *v : boost::json::value(nullptr);
        }
        return call_page(db, method, std::move(a));
      },
      method);
}

}  // namespace pgfns

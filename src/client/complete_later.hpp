// Completing an asynchronous operation: always through the I/O executor (never inside the
// initiating function or inside pgfns's own handlers), then on the handler's associated
// executor. When that executor is the I/O executor itself (a coroutine or callback on the
// database's executor: the usual case), the posted function calls the handler directly: one
// queued function per completion instead of a second, type-erased dispatch.
#pragma once

#include <pgfns/detail/io_executor.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include <utility>

namespace pgfns::detail {

template <class Handler, class... Values>
void complete_later(const boost::asio::any_io_executor& io, Handler&& handler, Values&&... values) {
  auto ex = boost::asio::get_associated_executor(handler, io);
  auto complete = [h = std::forward<Handler>(handler),
                   ... v = std::forward<Values>(values)]() mutable {
    std::move(h)(std::move(v)...);
  };
  if (is_io_executor(ex, io))
    boost::asio::post(io, std::move(complete));
  else
    boost::asio::post(io, boost::asio::bind_executor(ex, std::move(complete)));
}

}  // namespace pgfns::detail

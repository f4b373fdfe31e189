// Completing an asynchronous operation: always through the I/O executor (never inside the
// initiating function or inside pgfns's own handlers), then on the handler's associated
// executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include <utility>

namespace pgfns::detail {

template <class Handler, class... Values>
void complete_later(const boost::asio::any_io_executor& io, Handler&& handler, Values&&... values) {
  auto ex = boost::asio::get_associated_executor(handler, io);
  boost::asio::post(
      io, boost::asio::bind_executor(ex, [h = std::forward<Handler>(handler),
                                          ... v = std::forward<Values>(values)]() mutable {
        std::move(h)(std::move(v)...);
      }));
}

}  // namespace pgfns::detail

// The calls a connection's reader completes, run right after it has read their results, on
// the same stack, instead of each being posted to the executor and picked up again later.
//
// While a batch is open on a thread (one reader, draining one connection), complete_call()
// defers the completion of a call whose handler runs on that batch's executor into the batch;
// the reader then closes the batch (so that what the handlers do is never deferred again)
// and runs them, in order, once its own state is consistent: from a completion of the
// reader's operation, as asio runs the handlers of its own operations. Anything else (another
// executor, no open batch, a call refused inside its initiating function) is posted as before.
#pragma once

#include "client/complete_later.hpp"

#include <pgfns/detail/call_initiation.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/container/small_vector.hpp>

#include <utility>

namespace pgfns::detail {

class completion_batch {
 public:
  // Opens the batch on this thread for calls completing on `io`.
  explicit completion_batch(const boost::asio::any_io_executor& io);
  completion_batch(const completion_batch&) = delete;
  completion_batch& operator=(const completion_batch&) = delete;
  // Closes it; completions not run yet are posted.
  ~completion_batch();

  // Stops deferring (later completions are posted as usual).
  void close() noexcept;
  std::size_t size() const noexcept { return entries_.size(); }
  // Closes the batch and runs its completions in order. When a handler throws, the ones
  // after it are posted and the exception propagates.
  void run();

  // Defers `h(ec, r)` into the open batch of this thread when its handler runs on that batch's
  // executor (`on_io`: runs_on(h, io), decided at initiation); otherwise completes it through
  // complete_later.
  friend void complete_call(const boost::asio::any_io_executor& io, call_handler&& h, bool on_io,
                            boost::system::error_code ec, result&& r);

 private:
  struct entry {
    // A constructor, not aggregate initialisation, so that emplace_back builds it in place with
    // clang 14 too (which lacks parenthesised aggregate initialisation).
    entry(call_handler&& h, boost::system::error_code e, result&& r)
        : handler(std::move(h)), ec(e), value(std::move(r)) {}
    call_handler handler;
    boost::system::error_code ec;
    result value;
  };
  void post_rest() noexcept;

  const boost::asio::any_io_executor& io_;
  completion_batch* previous_;
  boost::container::small_vector<entry, 8> entries_;
  std::size_t next_ = 0;
  bool open_ = true;
};

void complete_call(const boost::asio::any_io_executor& io, call_handler&& h, bool on_io,
                   boost::system::error_code ec, result&& r);

}  // namespace pgfns::detail

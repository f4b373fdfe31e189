// The calls a connection's reader completes, run right after it has read their results, on
// the same stack, instead of each being posted to the executor and picked up again later.
//
// While a batch is open on a thread (one reader, draining one connection), a call whose handler
// runs on that batch's executor defers its completion into the batch (defer_completion); the
// reader then closes the batch (so that what the handlers do is never deferred again) and runs
// them, in order, once its own state is consistent: from a completion of the reader's
// operation, as asio runs the handlers of its own operations. Anything else (another executor,
// no open batch, a call refused inside its initiating function) is posted as before.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/container/small_vector.hpp>

#include <cstddef>
#include <memory>

namespace pgfns::detail {

// A call whose outcome is decided and whose handler is still to run: it keeps its handler and
// what the handler gets until then, so that nothing is moved into the batch but a pointer.
class pending_completion {
 public:
  // Runs the handler, once. Propagates what the handler throws.
  virtual void complete() = 0;

 protected:
  ~pending_completion() = default;
};

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

  // Takes `c` into the open batch of this thread when that batch is for `io` (`c`'s handler
  // runs on `io`): true. False, `c` untouched, when no such batch is open.
  friend bool defer_completion(const boost::asio::any_io_executor& io,
                               std::shared_ptr<pending_completion>& c);

 private:
  void post_rest() noexcept;

  const boost::asio::any_io_executor& io_;
  completion_batch* previous_;
  boost::container::small_vector<std::shared_ptr<pending_completion>, 8> entries_;
  std::size_t next_ = 0;
  bool open_ = true;
};

bool defer_completion(const boost::asio::any_io_executor& io,
                      std::shared_ptr<pending_completion>& c);
// Posts `c`'s completion to `io` (where its handler runs).
void post_completion(const boost::asio::any_io_executor& io, std::shared_ptr<pending_completion> c);

}  // namespace pgfns::detail

// Threads for the few libpq calls that block (PQcancel), so that the executor's threads never
// wait on the network. Each task runs on a detached thread of its own, at most `limit` at a
// time: a cancel request to a server that never answers (a frozen server: PQcancel of libpq 15
// waits for the server without limit) holds one thread until the server answers, but never
// delays another task beyond the limit, nor the destruction of the worker.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>

namespace pgfns::detail {

class blocking_worker {
 public:
  explicit blocking_worker(std::size_t limit = 4);
  blocking_worker(const blocking_worker&) = delete;
  blocking_worker& operator=(const blocking_worker&) = delete;
  // Returns at once: tasks still running finish on their own threads.
  ~blocking_worker() = default;

  // Runs `task` on a new thread and returns true, or drops it and returns false when `limit`
  // tasks are running already (or no thread can be started). A task must own what it uses.
  bool post(std::function<void()> task);
  // Tasks running right now.
  std::size_t running() const;

 private:
  struct state {
    std::mutex mutex;
    std::size_t running = 0;
  };
  std::size_t limit_;
  std::shared_ptr<state> state_ = std::make_shared<state>();
};

}  // namespace pgfns::detail

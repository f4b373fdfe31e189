#include "client/pq/blocking_worker.hpp"

#include <system_error>
#include <thread>

namespace pgfns::detail {

blocking_worker::blocking_worker(std::size_t limit) : limit_(limit) {}

bool blocking_worker::post(std::function<void()> task) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->running >= limit_) return false;
    ++state_->running;
  }
  auto done = [s = state_] {
    std::lock_guard lock(s->mutex);
    --s->running;
  };
  try {
    std::thread([task = std::move(task), done]() mutable {
      try {
        task();
      } catch (...) {  // a task's failure is its own; the thread must not end the program
      }
      task = nullptr;  // what the task owns goes before the count says it is done
      done();
    }).detach();
  } catch (const std::system_error&) {
    done();
    return false;
  }
  return true;
}

std::size_t blocking_worker::running() const {
  std::lock_guard lock(state_->mutex);
  return state_->running;
}

}  // namespace pgfns::detail

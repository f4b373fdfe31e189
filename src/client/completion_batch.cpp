#include "client/completion_batch.hpp"

#include <boost/asio/post.hpp>

#include <utility>

namespace pgfns::detail {
namespace {

thread_local completion_batch* open_batch = nullptr;

}  // namespace

completion_batch::completion_batch(const boost::asio::any_io_executor& io)
    : io_(io), previous_(open_batch) {
  open_batch = this;
}

completion_batch::~completion_batch() {
  close();
  post_rest();
}

void completion_batch::close() noexcept {
  if (!open_) return;
  open_ = false;
  open_batch = previous_;
}

void completion_batch::run() {
  close();
  try {
    while (next_ < entries_.size()) {
      // Released after its handler has run (a call lives until then).
      auto c = std::move(entries_[next_++]);
      c->complete();
    }
  } catch (...) {
    post_rest();
    throw;
  }
  entries_.clear();
  next_ = 0;
}

void completion_batch::post_rest() noexcept {
  for (; next_ < entries_.size(); ++next_) post_completion(io_, std::move(entries_[next_]));
}

bool defer_completion(const boost::asio::any_io_executor& io,
                      std::shared_ptr<pending_completion>& c) {
  completion_batch* batch = open_batch;
  if (!batch || batch->io_ != io) return false;
  batch->entries_.push_back(std::move(c));
  return true;
}

void post_completion(const boost::asio::any_io_executor& io,
                     std::shared_ptr<pending_completion> c) {
  boost::asio::post(io, [c = std::move(c)] { c->complete(); });
}

}  // namespace pgfns::detail

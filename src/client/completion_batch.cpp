#include "client/completion_batch.hpp"

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
      entry& e = entries_[next_++];
      std::move(e.handler)(e.ec, std::move(e.value));
    }
  } catch (...) {
    post_rest();
    throw;
  }
  entries_.clear();
  next_ = 0;
}

void completion_batch::post_rest() noexcept {
  for (; next_ < entries_.size(); ++next_) {
    entry& e = entries_[next_];
    complete_later_on_io(io_, std::move(e.handler), e.ec, std::move(e.value));
  }
}

void complete_call(const boost::asio::any_io_executor& io, call_handler&& h, bool on_io,
                   boost::system::error_code ec, result&& r) {
  if (!on_io) return complete_later(io, std::move(h), ec, std::move(r));
  completion_batch* batch = open_batch;
  if (batch && batch->io_ == io) {
    batch->entries_.emplace_back(std::move(h), ec, std::move(r));
    return;
  }
  complete_later_on_io(io, std::move(h), ec, std::move(r));
}

}  // namespace pgfns::detail

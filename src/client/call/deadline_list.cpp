#include "client/call/deadline_list.hpp"

namespace pgfns::detail {

deadline_list::deadline_list(boost::asio::any_io_executor ex, std::chrono::milliseconds timeout)
    : timer_(ex), timeout_(timeout), self_(std::make_shared<deadline_list*>(this)) {}

deadline_list::~deadline_list() {
  *self_ = nullptr;
  clear();
}

void deadline_list::add(deadline_entry& e, std::chrono::steady_clock::time_point start) {
  if (timeout_.count() <= 0 || e.is_linked()) return;
  e.deadline_ = start + timeout_;
  entries_.push_back(e);
  arm();
}

void deadline_list::remove(deadline_entry& e) noexcept {
  if (e.is_linked()) entries_.erase(entries_.iterator_to(e));
}

void deadline_list::clear() noexcept {
  entries_.clear();
  armed_ = false;
  timer_.cancel();
}

void deadline_list::arm() {
  if (armed_ || entries_.empty()) return;
  armed_ = true;
  timer_.expires_at(entries_.front().deadline_);
  timer_.async_wait([self = self_](boost::system::error_code ec) {
    deadline_list* list = *self;
    if (!list || ec) return;
    list->armed_ = false;
    list->expire();
  });
}

void deadline_list::expire() {
  const auto now = std::chrono::steady_clock::now();
  auto self = self_;  // an entry's on_deadline may destroy this list (its database closing)
  while (*self && !entries_.empty() && entries_.front().deadline_ <= now) {
    deadline_entry& e = entries_.front();
    entries_.pop_front();
    e.on_deadline();
  }
  if (*self) arm();
}

}  // namespace pgfns::detail

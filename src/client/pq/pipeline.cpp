#include "client/pq/pipeline.hpp"

namespace pgfns::detail {

void pipeline::push(pipeline_entry& e) noexcept {
  e.serial_ = ++sent_;
  jobs_.push_back(e);
}

pipeline::popped pipeline::pop() noexcept {
  popped p;
  if (jobs_.empty()) return p;
  p.entry = &jobs_.front();
  jobs_.pop_front();
  ++answered_;
  p.deliver = !p.entry->detached_;
  if (!jobs_.empty()) {
    pipeline_entry& next = jobs_.front();
    if (next.stop_ != stop_reason::none && !next.cancel_sent_) {
      next.cancel_sent_ = true;
      p.cancel_next = true;
    }
  }
  return p;
}

bool pipeline::stop(pipeline_entry& e, stop_reason why, bool detach) noexcept {
  if (!e.is_linked()) return false;
  if (e.stop_ == stop_reason::none) e.stop_ = why;
  if (detach) e.detached_ = true;
  if (&jobs_.front() != &e || e.cancel_sent_) return false;
  e.cancel_sent_ = true;
  return true;
}

bool pipeline::cancel_unanswered(std::uint64_t serial) const noexcept {
  return !jobs_.empty() && jobs_.front().serial_ == serial && jobs_.front().cancel_sent_;
}

std::string pipeline::unanswered_reason(long long grace_ms) const {
  std::string s = "the server did not answer the cancel request for ";
  if (jobs_.empty()) return s + "a call";
  const pipeline_entry& e = jobs_.front();
  s += e.label.empty() ? std::string_view("a call") : e.label;
  s += e.stop_ == stop_reason::deadline ? " (its deadline passed)" : " (cancelled by its caller)";
  s += " within ";
  s += std::to_string(grace_ms);
  s += " ms";
  return s;
}

pipeline_entry* pipeline::take_front(bool& deliver) noexcept {
  if (jobs_.empty()) return nullptr;
  pipeline_entry* e = &jobs_.front();
  jobs_.pop_front();
  deliver = !e->detached_;
  return e;
}

}  // namespace pgfns::detail

#include "client/pq/pipeline.hpp"

namespace pgfns::detail {

void pipeline::push(pipeline_entry& e, std::uint64_t group) noexcept {
  e.serial_ = ++sent_;
  e.group_ = group;
  jobs_.push_back(e);
}

// The first stopped job of the front group (the head alone when it shares no sync point) whose
// cancel is not sent, unless a cancel is outstanding for one of that group.
pipeline_entry* pipeline::next_to_cancel() noexcept {
  if (stops_ == 0 || jobs_.empty()) return nullptr;
  const std::uint64_t group = jobs_.front().group_;
  pipeline_entry* found = nullptr;
  for (pipeline_entry& e : jobs_) {
    if (&e != &jobs_.front() && (group == 0 || e.group_ != group)) break;
    if (e.cancel_sent_) return nullptr;
    if (!found && e.stop_ != stop_reason::none) found = &e;
  }
  if (found) {
    found->cancel_sent_ = true;
    --stops_;
  }
  return found;
}

pipeline::popped pipeline::pop() noexcept {
  popped p;
  if (jobs_.empty()) return p;
  p.entry = &jobs_.front();
  jobs_.pop_front();
  ++answered_;
  p.deliver = !p.entry->detached_;
  if (p.entry->stop_ != stop_reason::none && !p.entry->cancel_sent_) --stops_;
  p.cancel_next = next_to_cancel();
  return p;
}

pipeline_entry* pipeline::stop(pipeline_entry& e, stop_reason why, bool detach) noexcept {
  if (!e.is_linked()) return nullptr;
  if (detach) e.detached_ = true;
  if (e.stop_ != stop_reason::none) return nullptr;  // the first reason stands
  e.stop_ = why;
  ++stops_;
  return next_to_cancel();
}

bool pipeline::cancel_unanswered(std::uint64_t serial) const noexcept {
  for (const pipeline_entry& e : jobs_) {
    if (e.serial_ == serial) return e.cancel_sent_;
    if (e.serial_ > serial) break;
  }
  return false;
}

std::string pipeline::unanswered_reason(long long grace_ms) const {
  std::string s = "the server did not answer the cancel request for ";
  const pipeline_entry* e = nullptr;
  for (const pipeline_entry& j : jobs_) {
    if (j.cancel_sent_) {
      e = &j;
      break;
    }
  }
  if (!e) return s + "a call";
  s += e->label.empty() ? std::string_view("a call") : e->label;
  s += e->stop_ == stop_reason::deadline ? " (its deadline passed)" : " (cancelled by its caller)";
  s += " within ";
  s += std::to_string(grace_ms);
  s += " ms";
  return s;
}

pipeline_entry* pipeline::take_front(bool& deliver) noexcept {
  if (jobs_.empty()) return nullptr;
  pipeline_entry* e = &jobs_.front();
  jobs_.pop_front();
  if (e->stop_ != stop_reason::none && !e->cancel_sent_) --stops_;
  deliver = !e->detached_;
  return e;
}

}  // namespace pgfns::detail

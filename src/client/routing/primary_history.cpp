#include "client/routing/primary_history.hpp"

#include <algorithm>

namespace pgfns::detail {

void primary_history::add(clock::time_point at, lsn position, std::optional<lsn> inserted) {
  if (!samples_.empty() && (at < samples_.back().at || position < samples_.back().position))
    samples_.clear();
  samples_.push_back({at, position, std::max(position, inserted.value_or(position))});
  while (samples_.size() > 1 && samples_.front().at < at - horizon_) samples_.pop_front();
}

std::optional<lsn> primary_history::newest() const noexcept {
  if (samples_.empty()) return std::nullopt;
  return samples_.back().position;
}

std::optional<primary_history::clock::time_point> primary_history::newest_at() const noexcept {
  if (samples_.empty()) return std::nullopt;
  return samples_.back().at;
}

std::optional<primary_history::clock::time_point> primary_history::covered_until(
    lsn replayed) const noexcept {
  // Newest first: the common case (a standby that keeps up) ends at the first sample.
  for (auto it = samples_.rbegin(); it != samples_.rend(); ++it)
    if (it->position <= replayed) return it->at;
  return std::nullopt;
}

std::optional<lsn> primary_history::position_after(clock::time_point at) const noexcept {
  for (const sample& s : samples_)
    if (s.at >= at) return s.inserted;
  return std::nullopt;
}

}  // namespace pgfns::detail

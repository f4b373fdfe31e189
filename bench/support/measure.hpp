// What every pgfns benchmark measures: call latencies (p50, p99), the process's CPU time,
// its peak and current resident memory, and one JSON line to report them.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

namespace pgfns::bench {

using clock = std::chrono::steady_clock;

// Latencies of measured calls, in nanoseconds. reserve() before measuring so that recording
// never allocates on the measured path.
class latency_recorder {
 public:
  void reserve(std::size_t n) { samples_.reserve(n); }
  void record(clock::duration d) { samples_.push_back(static_cast<std::uint64_t>(d.count())); }
  std::size_t size() const noexcept { return samples_.size(); }
  // The p-th percentile (0..100) in microseconds, 0 when nothing was recorded. Sorts once.
  double percentile_us(double p);

 private:
  std::vector<std::uint64_t> samples_;
  bool sorted_ = false;
};

// User + system CPU time of this process so far (getrusage).
std::chrono::microseconds cpu_time();
// Peak resident set size of this process so far, in KiB (getrusage ru_maxrss).
long peak_rss_kb();
// Current resident set size, in KiB (VmRSS of /proc/self/status); -1 when unreadable.
long current_rss_kb();

// Writes `line` as one JSON line on standard output (floating point with two decimals) and
// flushes it.
void print_json_line(const boost::json::object& line);

}  // namespace pgfns::bench

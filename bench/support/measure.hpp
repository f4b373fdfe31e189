// What every pgfns benchmark measures: call latencies (p50, p99), the process's CPU time,
// its peak and current resident memory, and one JSON line to report them.
#pragma once

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

namespace pgfns::bench {

using clock = std::chrono::steady_clock;

// Latencies of measured calls in a fixed-size log-linear histogram (0.1 us resolution below
// 12.8 us, then 64 buckets per power of two: each value is within 1.6% of its bucket's
// midpoint). Recording never allocates, so it neither slows the measured path nor grows the
// RSS that the benchmarks report.
class latency_recorder {
 public:
  latency_recorder();
  void record(clock::duration d) noexcept;
  std::uint64_t count() const noexcept { return count_; }
  // The p-th percentile (0..100) in microseconds, 0 when nothing was recorded.
  double percentile_us(double p) const noexcept;

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
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

#include "measure.hpp"

#include <boost/json/serialize.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace pgfns::bench {

namespace {

constexpr std::uint64_t linear_limit = 128;  // tenths of a microsecond, recorded exactly
constexpr int sub_bits = 6;                  // 64 buckets per power of two above that
constexpr int max_exponent = 40;             // 2^40 tenths of a microsecond: 30 hours

std::size_t bucket_of(std::uint64_t tenths) noexcept {
  if (tenths < linear_limit) return tenths;
  const int e = std::min(63 - std::countl_zero(tenths), max_exponent);
  const std::uint64_t sub = (tenths >> (e - sub_bits)) & ((1u << sub_bits) - 1);
  return linear_limit + static_cast<std::size_t>(e - 7) * (1u << sub_bits) + sub;
}

// The midpoint of bucket `b`, in tenths of a microsecond.
double value_of(std::size_t b) noexcept {
  if (b < linear_limit) return static_cast<double>(b);
  const std::size_t i = b - linear_limit;
  const int e = 7 + static_cast<int>(i >> sub_bits);
  const double width = std::ldexp(1.0, e - sub_bits);
  const double low = std::ldexp(1.0, e) + static_cast<double>(i & ((1u << sub_bits) - 1)) * width;
  return low + width / 2;
}

}  // namespace

latency_recorder::latency_recorder()
    : buckets_(linear_limit + static_cast<std::size_t>(max_exponent - 6) * (1u << sub_bits)) {}

void latency_recorder::record(clock::duration d) noexcept {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  ++buckets_[bucket_of(ns > 0 ? static_cast<std::uint64_t>(ns) / 100 : 0)];
  ++count_;
}

double latency_recorder::percentile_us(double p) const noexcept {
  if (count_ == 0) return 0;
  // The same rank as the node and pgbench reports: the sample at floor(p% of n), 0-based.
  auto rank = static_cast<std::uint64_t>(std::floor(p / 100.0 * static_cast<double>(count_)));
  rank = std::min(rank, count_ - 1);
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen > rank) return value_of(b) / 10.0;
  }
  return value_of(buckets_.size() - 1) / 10.0;
}

std::chrono::microseconds cpu_time() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto us = [](const timeval& t) {
    return std::chrono::seconds(t.tv_sec) + std::chrono::microseconds(t.tv_usec);
  };
  return us(u.ru_utime) + us(u.ru_stime);
}

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

long current_rss_kb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kb = -1;
      status >> kb;
      return kb;
    }
    status.ignore(4096, '\n');
  }
  return -1;
}

void print_json_line(const boost::json::object& line) {
  std::string out = "{";
  for (const auto& [key, value] : line) {
    if (out.size() > 1) out += ',';
    out += boost::json::serialize(boost::json::value(key));
    out += ':';
    if (value.is_double()) {
      // Two decimals read better than the shortest round-trip form ("9.5001258E1").
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f", value.as_double());
      out += buf;
    } else {
      out += boost::json::serialize(value);
    }
  }
  out += "}\n";
  std::cout << out << std::flush;
}

}  // namespace pgfns::bench

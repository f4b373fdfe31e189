#include "measure.hpp"

#include <boost/json/serialize.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace pgfns::bench {

double latency_recorder::percentile_us(double p) {
  if (samples_.empty()) return 0;
  if (!sorted_) {
    std::sort(samples_.begin(), samples_.end());
    sorted_ = true;
  }
  const auto n = samples_.size();
  auto index = static_cast<std::size_t>(std::floor(p / 100.0 * static_cast<double>(n)));
  index = std::min(index, n - 1);
  return static_cast<double>(samples_[index]) / 1000.0;
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

// Loads a schema directory (YAML, validated) N times and reports the median time, e.g. for the
// 128 versions of Taskcluster's schema:  pgfns_bench_schema_load --dir ../shared/taskcluster-db
#include "support/measure.hpp"
#include "support/options.hpp"

#include <pgfns/schema.hpp>

#include <algorithm>
#include <exception>
#include <iostream>
#include <vector>

namespace {

double ms(pgfns::bench::clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

int run(int argc, char** argv) {
  const pgfns::bench::options opts(argc, argv, {{"dir", ""}, {"repeat", "7"}});
  const std::string& dir = opts.text("dir");
  if (dir.empty()) throw std::invalid_argument("--dir DIR is required");
  const auto repeat = opts.integer("repeat", 1, 1000);

  std::vector<double> times;
  std::size_t methods = 0;
  int versions = 0;
  for (long i = 0; i < repeat; ++i) {
    const auto start = pgfns::bench::clock::now();
    const auto s = pgfns::schema::from_db_directory(dir);
    times.push_back(ms(pgfns::bench::clock::now() - start));
    methods = s.methods().size();
    versions = s.latest_version();
  }
  std::sort(times.begin(), times.end());
  pgfns::bench::print_json_line({{"tool", "pgfns"},
                                 {"scenario", "schema-load"},
                                 {"versions", versions},
                                 {"methods", methods},
                                 {"repeat", repeat},
                                 {"median_ms", times[times.size() / 2]},
                                 {"min_ms", times.front()},
                                 {"max_ms", times.back()},
                                 {"peak_rss_kb", pgfns::bench::peak_rss_kb()}});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "pgfns_bench_schema_load: " << e.what() << '\n';
    return 2;
  }
}

// Which method a benchmark calls and with what: "get_product(id)" calls get_product with a
// random seeded id, "set_stock(id,rand)" adds a random integer in 0..999. The same notation as
// bench/node/bench.js, so that both make the same calls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgfns::bench {

// A small, fast generator (xorshift64*): argument values must cost nothing next to a call.
class random_source {
 public:
  explicit random_source(std::uint64_t seed) noexcept : state_(seed | 1) {}
  std::uint64_t next() noexcept {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  // Uniform enough in [0, n) for n far below 2^32.
  std::int64_t below(std::int64_t n) noexcept {
    return static_cast<std::int64_t>((next() >> 32) % static_cast<std::uint64_t>(n));
  }

 private:
  std::uint64_t state_;
};

struct call_spec {
  enum class kind { id, rand, literal };
  struct argument {
    kind what = kind::literal;
    std::int64_t value = 0;  // for literal
  };

  std::string method;
  std::vector<argument> args;

  // Throws std::invalid_argument naming the problem.
  static call_spec parse(std::string_view text);

  // Fills out[0..args.size()) with this call's argument values (ids from 1..rows).
  void make_args(random_source& r, std::int64_t rows, std::int64_t* out) const noexcept;
};

}  // namespace pgfns::bench

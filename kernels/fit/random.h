// The fits' own random numbers: xoshiro256** seeded through splitmix64, so a bootstrap resample or a
// synthetic data set depends only on (seed, stream index) and never on the thread that draws it, the
// standard library's distributions (implementation-defined) or the order resamples run in.
#pragma once

#include <cmath>
#include <cstdint>

namespace csc::fit {

inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Random {
 public:
  // Stream `stream` of `seed`: resample i of a bootstrap uses stream i.
  Random(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t mix = seed ^ (0xd1b54a32d192ed03ULL * (stream + 1));
    for (auto& word : state_) word = splitmix64(mix);
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // Uniform integer in [0, n), unbiased (rejection of the short last block), n > 0.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = -n % n;  // 2^64 mod n
    for (;;) {
      const std::uint64_t r = next();
      if (r >= limit) return r % n;
    }
  }

  // Standard normal deviate (Box-Muller; one of the pair is discarded to keep the stream stateless).
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace csc::fit

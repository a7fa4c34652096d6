// Standard normal draws for the randomized solvers' sketches, the same on every platform.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>

namespace csc::linalg {

// Standard normal draws: std::mt19937_64's stream is fixed by the C++ standard, but
// std::normal_distribution's algorithm is not, so Marsaglia's polar method is spelled out here (Box-Muller
// without the sine and cosine: a point drawn uniformly in the unit disc, 21 % of them rejected).
class GaussianStream {
 public:
  explicit GaussianStream(std::uint64_t seed) : engine_(seed) {}

  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u, v, s;
    do {
      u = static_cast<double>(engine_() >> 11) * 0x1.0p-52 - 1.0;  // [-1, 1)
      v = static_cast<double>(engine_() >> 11) * 0x1.0p-52 - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double factor = std::sqrt(-2.0 * std::log(s) / s);
    spare_ = v * factor;
    has_spare_ = true;
    return u * factor;
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// Fills out[0, count) with standard normal draws in blocks of kGaussianBlock values, block i taken
// from a GaussianStream seeded by seed and i (SplitMix64), so the values depend on seed alone, not on
// the number of threads, which fill blocks in parallel: the 20000 x 30 sketch of the pca benchmark
// took 16-18 ms in one stream with Box-Muller's log, sine and cosine.
inline constexpr std::size_t kGaussianBlock = 4096;
void fill_gaussian(float* out, std::size_t count, std::uint64_t seed);
void fill_gaussian(double* out, std::size_t count, std::uint64_t seed);

}  // namespace csc::linalg

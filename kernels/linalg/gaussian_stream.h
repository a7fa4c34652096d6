// Standard normal draws for the randomized solvers' sketches, the same on every platform.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace csc::linalg {

// Standard normal draws: std::mt19937_64's stream is fixed by the C++ standard, but
// std::normal_distribution's algorithm is not, so Box-Muller is spelled out here.
class GaussianStream {
 public:
  explicit GaussianStream(std::uint64_t seed) : engine_(seed) {}

  double next() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = static_cast<double>((engine_() >> 11) + 1) * 0x1.0p-53;  // (0, 1]: log(u1) is finite
    const double u2 = static_cast<double>(engine_() >> 11) * 0x1.0p-53;        // [0, 1)
    const double radius = std::sqrt(-2.0 * std::log(u1));
    const double angle = 2.0 * std::numbers::pi * u2;
    spare_ = radius * std::sin(angle);
    has_spare_ = true;
    return radius * std::cos(angle);
  }

 private:
  std::mt19937_64 engine_;
  double spare_ = 0;
  bool has_spare_ = false;
};

}  // namespace csc::linalg

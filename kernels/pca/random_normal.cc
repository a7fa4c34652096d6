// splitmix64 + Box–Muller normal draws.
#include "kernels/pca/random_normal.h"

#include <cmath>
#include <numbers>

namespace csc::pca {

void fill_standard_normal(double* out, std::size_t count, std::uint64_t seed) {
  std::uint64_t state = seed;
  auto next_uniform = [&state] {  // in (0, 1)
    state += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (static_cast<double>(z >> 11) + 0.5) * 0x1.0p-53;
  };
  for (std::size_t i = 0; i < count; i += 2) {
    const double radius = std::sqrt(-2.0 * std::log(next_uniform()));
    const double angle = 2.0 * std::numbers::pi * next_uniform();
    out[i] = radius * std::cos(angle);
    if (i + 1 < count) out[i + 1] = radius * std::sin(angle);
  }
}

}  // namespace csc::pca

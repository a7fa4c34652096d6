// Reproducible standard normal draws (splitmix64 + Box–Muller, fully specified, so the same seed gives
// the same numbers with any standard library).
#pragma once

#include <cstddef>
#include <cstdint>

namespace csc::pca {

// out[0..count) = independent N(0, 1) draws determined by seed.
void fill_standard_normal(double* out, std::size_t count, std::uint64_t seed);

}  // namespace csc::pca

// fill_gaussian: independent GaussianStreams per fixed block, filled by OpenMP threads.
#include "kernels/linalg/gaussian_stream.h"

#include <algorithm>

namespace csc::linalg {
namespace {

// SplitMix64's finaliser (Steele, Lea & Flood 2014): decorrelates the seeds of neighbouring blocks.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

template <class T>
void fill(T* out, std::size_t count, std::uint64_t seed) {
  const std::size_t blocks = (count + kGaussianBlock - 1) / kGaussianBlock;
  // A block costs ~20 µs: below 8 blocks a thread team costs more than it saves.
#pragma omp parallel for schedule(static) if (blocks >= 8)
  for (std::size_t block = 0; block < blocks; ++block) {
    GaussianStream gaussian(mix(seed + 0x9e3779b97f4a7c15ULL * (block + 1)));
    const std::size_t end = std::min(count, (block + 1) * kGaussianBlock);
    for (std::size_t i = block * kGaussianBlock; i < end; ++i) out[i] = static_cast<T>(gaussian.next());
  }
}

}  // namespace

void fill_gaussian(float* out, std::size_t count, std::uint64_t seed) { fill(out, count, seed); }
void fill_gaussian(double* out, std::size_t count, std::uint64_t seed) { fill(out, count, seed); }

}  // namespace csc::linalg

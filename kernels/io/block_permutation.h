// A random permutation of the blocks 0..n-1 in O(1) memory (a keyed Feistel network on the next
// power of four, cycle-walking back into range), so a size-based random job touches every block
// exactly once per pass, as fio's random map does, even for files of millions of blocks.
#pragma once

#include <bit>
#include <cstdint>

#include "kernels/io/random.h"

namespace csc::io {

class BlockPermutation {
 public:
  BlockPermutation(std::uint64_t n, std::uint64_t seed) : n_(n) {
    const int bits = n > 1 ? 64 - std::countl_zero(n - 1) : 1;
    half_bits_ = (bits + 1) / 2;
    mask_ = (std::uint64_t{1} << half_bits_) - 1;
    for (auto& key : keys_) key = splitmix64(seed);
  }

  // The i-th block of the pass (i < n); distinct i give distinct blocks.
  std::uint64_t operator()(std::uint64_t i) const {
    std::uint64_t x = i;
    do x = encrypt(x);
    while (x >= n_);
    return x;
  }

 private:
  std::uint64_t encrypt(std::uint64_t x) const {
    std::uint64_t left = x >> half_bits_, right = x & mask_;
    for (std::uint64_t key : keys_) {
      std::uint64_t mixed = right ^ key;
      const std::uint64_t f = splitmix64(mixed) & mask_;
      const std::uint64_t next_right = left ^ f;
      left = right;
      right = next_right;
    }
    return (left << half_bits_) | right;
  }

  std::uint64_t n_;
  int half_bits_;
  std::uint64_t mask_;
  std::uint64_t keys_[4];
};

}  // namespace csc::io

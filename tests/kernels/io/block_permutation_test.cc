// The block permutation is a bijection of 0..n-1 for awkward n, and different seeds give different orders.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "kernels/io/block_permutation.h"

using csc::io::BlockPermutation;

TEST_CASE("every block appears exactly once") {
  for (std::uint64_t n : {1ull, 2ull, 3ull, 4ull, 5ull, 63ull, 64ull, 65ull, 1000ull, 4097ull, 65536ull, 100003ull}) {
    CAPTURE(n);
    const BlockPermutation p(n, 42);
    std::vector<char> seen(n, 0);
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t b = p(i);
      REQUIRE(b < n);
      CHECK_FALSE(seen[b]);
      seen[b] = 1;
    }
  }
}

TEST_CASE("the order depends on the seed and is not the identity") {
  const std::uint64_t n = 10000;
  const BlockPermutation a(n, 1), b(n, 2);
  std::uint64_t same = 0, fixed = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    same += a(i) == b(i);
    fixed += a(i) == i;
  }
  CHECK(same < n / 100);
  CHECK(fixed < n / 100);
}

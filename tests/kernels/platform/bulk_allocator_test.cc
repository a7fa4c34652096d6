// BulkAllocator: large buffers on 2 MiB boundaries, contents kept across growth, impossible sizes refused.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <new>

#include "kernels/platform/bulk_allocator.h"

using csc::platform::BulkAllocator;
using csc::platform::BulkVector;

TEST_CASE("bulk allocator: large buffers start on a 2 MiB boundary, small ones are plain") {
  BulkAllocator<double> allocator;
  const std::size_t large = csc::platform::kHugePageThreshold / sizeof(double) + 1;
  double* p = allocator.allocate(large);
  CHECK(reinterpret_cast<std::uintptr_t>(p) % (std::size_t{2} << 20) == 0);
  p[0] = 1.0;
  p[large - 1] = 2.0;  // the whole buffer is usable
  CHECK(p[0] + p[large - 1] == 3.0);
  allocator.deallocate(p, large);
  float* q = BulkAllocator<float>().allocate(3);
  CHECK(reinterpret_cast<std::uintptr_t>(q) % alignof(std::max_align_t) == 0);
  BulkAllocator<float>().deallocate(q, 3);
}

TEST_CASE("bulk allocator: a vector keeps its values while growing past the huge-page threshold") {
  BulkVector<float> v;
  const std::size_t n = 2 * csc::platform::kHugePageThreshold / sizeof(float);
  for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<float>(i % 1000));
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < n; ++i) wrong += v[i] != static_cast<float>(i % 1000);
  CHECK(wrong == 0);
  v.resize(n + 5);  // default-initialised tail: written before it is read
  for (std::size_t i = n; i < n + 5; ++i) v[i] = 1.5f;
  CHECK(v[n + 4] == 1.5f);
  CHECK(v[n - 1] == static_cast<float>((n - 1) % 1000));
  const BulkVector<float> copy(v.begin(), v.begin() + 3);
  CHECK(copy == BulkVector<float>{0.0f, 1.0f, 2.0f});
}

TEST_CASE("bulk allocator: sizes past the address space are refused, not wrapped") {
  BulkAllocator<double> allocator;
  CHECK_THROWS_AS(allocator.allocate(std::numeric_limits<std::size_t>::max() / 4), std::bad_alloc);
  CHECK_THROWS_AS(allocator.allocate(std::numeric_limits<std::size_t>::max() / 8), std::bad_alloc);
}

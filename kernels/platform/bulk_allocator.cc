// bulk_allocate: malloc below the huge-page threshold, 2 MiB-aligned memory advised for transparent
// huge pages above it (the advice is best effort: "never" in /sys/kernel/mm/transparent_hugepage
// or a kernel without THP leaves ordinary pages).
#include "kernels/platform/bulk_allocator.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>

namespace csc::platform {

namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}

void* bulk_allocate(std::size_t bytes) {
  // As operator new: no object may exceed PTRDIFF_MAX bytes (and sanitizers abort on such requests).
  if (bytes > static_cast<std::size_t>(PTRDIFF_MAX)) throw std::bad_alloc();
  if (bytes < kHugePageThreshold) {
    void* p = std::malloc(bytes == 0 ? 1 : bytes);
    if (p == nullptr) throw std::bad_alloc();
    return p;
  }
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  if (rounded < bytes) throw std::bad_alloc();
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  ::madvise(p, rounded, MADV_HUGEPAGE);
#endif
  return p;
}

void bulk_free(void* p) noexcept { std::free(p); }

}  // namespace csc::platform

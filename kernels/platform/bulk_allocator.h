// An allocator for large numeric buffers (a data matrix read whole): no zero-fill on resize, and
// buffers of kHugePageThreshold bytes or more aligned to 2 MiB and advised for transparent huge pages
// (MADV_HUGEPAGE, as NumPy does for arrays of 4 MiB and more). Faulting in a fresh 40 MB buffer
// page by page and zeroing it costs more than reading the file into it; with huge pages the kernel
// faults 2 MiB at a time.
#pragma once

#include <cstddef>
#include <new>
#include <utility>
#include <vector>

namespace csc::platform {

inline constexpr std::size_t kHugePageThreshold = std::size_t{4} << 20;

// Raw storage for `bytes` (aligned for any fundamental type; to 2 MiB from kHugePageThreshold on),
// released by bulk_free. Throws std::bad_alloc.
void* bulk_allocate(std::size_t bytes);
void bulk_free(void* p) noexcept;

template <class T>
struct BulkAllocator {
  using value_type = T;

  BulkAllocator() = default;
  template <class U>
  BulkAllocator(const BulkAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(bulk_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { bulk_free(p); }

  // Default-initialisation: resize() leaves numbers uninitialised instead of writing zeros.
  template <class U>
  void construct(U* p) noexcept(noexcept(::new (static_cast<void*>(p)) U)) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  friend bool operator==(const BulkAllocator&, const BulkAllocator&) { return true; }
};

// resize() does not zero the new elements: write them before reading.
template <class T>
using BulkVector = std::vector<T, BulkAllocator<T>>;

}  // namespace csc::platform

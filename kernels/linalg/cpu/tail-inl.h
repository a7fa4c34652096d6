// Per-target helpers for the ragged end of an array: load/store fewer than Lanes() elements via a
// padded stack buffer, because Highway 1.0.3's MaskedLoad reads the full vector on SSE4/SCALAR.
#if defined(CSC_LINALG_CPU_TAIL_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef CSC_LINALG_CPU_TAIL_INL_H_
#undef CSC_LINALG_CPU_TAIL_INL_H_
#else
#define CSC_LINALG_CPU_TAIL_INL_H_
#endif

#include <cstddef>

#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The first `count` (< Lanes) elements of p, the other lanes set to `fill`.
template <class D, class T = hn::TFromD<D>>
HWY_INLINE hn::Vec<D> LoadTail(D d, const T* HWY_RESTRICT p, std::size_t count, T fill = T(0)) {
  HWY_ALIGN T buffer[HWY_MAX_BYTES / sizeof(T)];
  const std::size_t lanes = hn::Lanes(d);
  for (std::size_t i = 0; i < lanes; ++i) buffer[i] = i < count ? p[i] : fill;
  return hn::Load(d, buffer);
}

// Stores the first `count` (< Lanes) lanes of v to p.
template <class D, class T = hn::TFromD<D>>
HWY_INLINE void StoreTail(D d, hn::Vec<D> v, T* HWY_RESTRICT p, std::size_t count) {
  HWY_ALIGN T buffer[HWY_MAX_BYTES / sizeof(T)] = {};
  hn::Store(v, d, buffer);
  for (std::size_t i = 0; i < count; ++i) p[i] = buffer[i];
}

}  // namespace csc::linalg::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // CSC_LINALG_CPU_TAIL_INL_H_

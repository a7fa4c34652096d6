// Highway + OpenMP kernels behind kernels/linalg/elementwise.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/linalg/cpu/elementwise_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include "kernels/linalg/cpu/safe_math-inl.h"
#include "kernels/linalg/cpu/tail-inl.h"
#include "kernels/linalg/elementwise.h"

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Elements per OpenMP work item: large enough to amortise scheduling, a multiple of every Lanes().
constexpr std::size_t kBlock = 1 << 14;

template <class T, class Fn>
void MapRange(std::size_t n, const T* x, T* y, Fn fn) {
  const hn::ScalableTag<T> d;
  const std::size_t lanes = hn::Lanes(d);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) hn::StoreU(fn(d, hn::LoadU(d, x + i)), d, y + i);
  if (i < n) StoreTail(d, fn(d, LoadTail(d, x + i, n - i)), y + i, n - i);
}

template <class T, class Fn>
void Map(std::size_t n, const T* x, T* y, Fn fn) {
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
#pragma omp parallel for schedule(static) if (blocks > 1)
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t begin = b * kBlock;
    const std::size_t count = begin + kBlock <= n ? kBlock : n - begin;
    MapRange(count, x + begin, y + begin, fn);
  }
}

template <class T>
void Elementwise(UnaryFn fn, std::size_t n, const T* x, T* y) {
  switch (fn) {
    case UnaryFn::exp: return Map(n, x, y, [](auto d, auto v) { return SafeExp(d, v); });
    case UnaryFn::log: return Map(n, x, y, [](auto d, auto v) { return SafeLog(d, v); });
    case UnaryFn::tanh: return Map(n, x, y, [](auto d, auto v) { return SafeTanh(d, v); });
    case UnaryFn::sigmoid: return Map(n, x, y, [](auto d, auto v) { return Sigmoid(d, v); });
    case UnaryFn::relu: return Map(n, x, y, [](auto d, auto v) { return Relu(d, v); });
  }
}

void ElementwiseF32(UnaryFn fn, std::size_t n, const float* x, float* y) { Elementwise(fn, n, x, y); }
void ElementwiseF64(UnaryFn fn, std::size_t n, const double* x, double* y) { Elementwise(fn, n, x, y); }

}  // namespace csc::linalg::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <cstdint>
#include <stdexcept>

namespace csc::linalg {
HWY_EXPORT(ElementwiseF32);
HWY_EXPORT(ElementwiseF64);

namespace {
template <class T>
void check(std::size_t n, const T* x, T* y) {
  if (n > 0 && (x == nullptr || y == nullptr)) throw std::invalid_argument("elementwise: null array");
  const auto xa = reinterpret_cast<std::uintptr_t>(x), ya = reinterpret_cast<std::uintptr_t>(y);
  const std::uintptr_t bytes = n * sizeof(T);
  if (xa != ya && xa < ya + bytes && ya < xa + bytes) throw std::invalid_argument("elementwise: x and y overlap partially");
}
}  // namespace

void elementwise(UnaryFn fn, std::size_t n, const float* x, float* y) {
  check(n, x, y);
  HWY_DYNAMIC_DISPATCH(ElementwiseF32)(fn, n, x, y);
}
void elementwise(UnaryFn fn, std::size_t n, const double* x, double* y) {
  check(n, x, y);
  HWY_DYNAMIC_DISPATCH(ElementwiseF64)(fn, n, x, y);
}

}  // namespace csc::linalg
#endif  // HWY_ONCE

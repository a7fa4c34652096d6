// Highway + OpenMP kernels behind kernels/linalg/softmax.h: one online pass for (max, sum) per row,
// a second pass writing exp(x - max) / sum.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/linalg/cpu/softmax_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include "kernels/linalg/cpu/safe_math-inl.h"
#include "kernels/linalg/cpu/tail-inl.h"
#include "kernels/linalg/softmax.h"

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Rows are spread over threads once a call has at least this many elements.
constexpr std::size_t kParallelElements = 1 << 15;

// One lane per running (max, sum) pair; see softmax_push for the rules this mirrors.
template <class D, class V = hn::Vec<D>>
HWY_INLINE void Push(D d, V x, V& max, V& sum) {
  using T = hn::TFromD<D>;
  const auto grows = hn::Gt(x, max);  // false for NaN, which then poisons `sum` below
  if (!hn::AllFalse(d, grows)) {
    // Rescaling costs an exp, so it only runs while the maximum still moves (rarely, after a start).
    sum = hn::IfThenElse(grows, hn::Mul(sum, SafeExp(d, hn::Sub(max, x))), sum);
    max = hn::IfThenElse(grows, x, max);
  }
  const V term = hn::IfThenElse(hn::Eq(x, max), hn::Set(d, T(1)), SafeExp(d, hn::Sub(x, max)));
  sum = hn::Add(sum, term);
}

template <class T>
SoftmaxState<T> RowState(std::size_t n, const T* HWY_RESTRICT x) {
  const hn::ScalableTag<T> d;
  const std::size_t lanes = hn::Lanes(d);
  auto max0 = hn::Set(d, -INFINITY), sum0 = hn::Zero(d);
  auto max1 = max0, sum1 = sum0;
  std::size_t i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    Push(d, hn::LoadU(d, x + i), max0, sum0);
    Push(d, hn::LoadU(d, x + i + lanes), max1, sum1);
  }
  for (; i + lanes <= n; i += lanes) Push(d, hn::LoadU(d, x + i), max0, sum0);
  if (i < n) {
    // Padding lanes hold -inf: they add nothing to a lane whose maximum is finite.
    Push(d, LoadTail(d, x + i, n - i, T(-INFINITY)), max1, sum1);
  }
  HWY_ALIGN T maxes[2 * HWY_MAX_BYTES / sizeof(T)];
  HWY_ALIGN T sums[2 * HWY_MAX_BYTES / sizeof(T)];
  hn::Store(max0, d, maxes);
  hn::Store(max1, d, maxes + lanes);
  hn::Store(sum0, d, sums);
  hn::Store(sum1, d, sums + lanes);
  SoftmaxState<T> state;
  for (std::size_t l = 0; l < 2 * lanes; ++l) state = softmax_merge(state, SoftmaxState<T>{maxes[l], sums[l]});
  return state;
}

template <class T>
void SoftmaxRow(std::size_t n, const T* x, T* y) {
  const hn::ScalableTag<T> d;
  const std::size_t lanes = hn::Lanes(d);
  const SoftmaxState<T> state = RowState(n, x);
  if (!(state.max > -INFINITY && state.max < INFINITY) || state.sum != state.sum) {
    for (std::size_t i = 0; i < n; ++i) y[i] = T(NAN);
    return;
  }
  const auto max = hn::Set(d, state.max);
  const auto sum = hn::Set(d, state.sum);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) {
    hn::StoreU(hn::Div(SafeExp(d, hn::Sub(hn::LoadU(d, x + i), max)), sum), d, y + i);
  }
  if (i < n) StoreTail(d, hn::Div(SafeExp(d, hn::Sub(LoadTail(d, x + i, n - i), max)), sum), y + i, n - i);
}

template <class T>
void SoftmaxRows(std::size_t rows, std::size_t cols, const T* x, std::size_t ldx, T* y, std::size_t ldy) {
  const auto count = static_cast<std::ptrdiff_t>(rows);
#pragma omp parallel for schedule(static) if (rows > 1 && rows * cols >= kParallelElements)
  for (std::ptrdiff_t r = 0; r < count; ++r) SoftmaxRow(cols, x + r * ldx, y + r * ldy);
}

template <class T>
void LogsumexpRows(std::size_t rows, std::size_t cols, const T* x, std::size_t ldx, T* out) {
  const auto count = static_cast<std::ptrdiff_t>(rows);
#pragma omp parallel for schedule(static) if (rows > 1 && rows * cols >= kParallelElements)
  for (std::ptrdiff_t r = 0; r < count; ++r) out[r] = softmax_logsumexp(RowState(cols, x + r * ldx));
}

SoftmaxState<float> StateF32(std::size_t n, const float* x) { return RowState(n, x); }
SoftmaxState<double> StateF64(std::size_t n, const double* x) { return RowState(n, x); }
void SoftmaxF32(std::size_t rows, std::size_t cols, const float* x, std::size_t ldx, float* y, std::size_t ldy) {
  SoftmaxRows(rows, cols, x, ldx, y, ldy);
}
void SoftmaxF64(std::size_t rows, std::size_t cols, const double* x, std::size_t ldx, double* y, std::size_t ldy) {
  SoftmaxRows(rows, cols, x, ldx, y, ldy);
}
void LogsumexpF32(std::size_t rows, std::size_t cols, const float* x, std::size_t ldx, float* out) {
  LogsumexpRows(rows, cols, x, ldx, out);
}
void LogsumexpF64(std::size_t rows, std::size_t cols, const double* x, std::size_t ldx, double* out) {
  LogsumexpRows(rows, cols, x, ldx, out);
}

}  // namespace csc::linalg::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <algorithm>
#include <stdexcept>
#include <string>

namespace csc::linalg {
HWY_EXPORT(StateF32);
HWY_EXPORT(StateF64);
HWY_EXPORT(SoftmaxF32);
HWY_EXPORT(SoftmaxF64);
HWY_EXPORT(LogsumexpF32);
HWY_EXPORT(LogsumexpF64);

namespace {
void check_rows(const char* what, std::size_t rows, std::size_t cols, const void* x, std::size_t ldx,
                const void* y, std::size_t ldy) {
  if (rows == 0 || cols == 0) return;
  if (x == nullptr || y == nullptr) throw std::invalid_argument(std::string(what) + ": null array");
  if (ldx < cols || ldy < cols) throw std::invalid_argument(std::string(what) + ": leading dimension smaller than cols");
}
}  // namespace

SoftmaxState<float> softmax_state(std::size_t n, const float* x) {
  check_rows("softmax_state", 1, n, x, n, x, n);
  return HWY_DYNAMIC_DISPATCH(StateF32)(n, x);
}
SoftmaxState<double> softmax_state(std::size_t n, const double* x) {
  check_rows("softmax_state", 1, n, x, n, x, n);
  return HWY_DYNAMIC_DISPATCH(StateF64)(n, x);
}

void logsumexp_rows(std::size_t rows, std::size_t cols, const float* x, std::size_t ldx, float* out) {
  check_rows("logsumexp_rows", rows, cols, x, ldx, out, cols);
  if (rows > 0 && out == nullptr) throw std::invalid_argument("logsumexp_rows: null output");
  if (cols == 0) return std::fill(out, out + rows, float(-INFINITY));
  HWY_DYNAMIC_DISPATCH(LogsumexpF32)(rows, cols, x, ldx, out);
}
void logsumexp_rows(std::size_t rows, std::size_t cols, const double* x, std::size_t ldx, double* out) {
  check_rows("logsumexp_rows", rows, cols, x, ldx, out, cols);
  if (rows > 0 && out == nullptr) throw std::invalid_argument("logsumexp_rows: null output");
  if (cols == 0) return std::fill(out, out + rows, double(-INFINITY));
  HWY_DYNAMIC_DISPATCH(LogsumexpF64)(rows, cols, x, ldx, out);
}

void softmax_rows(std::size_t rows, std::size_t cols, const float* x, std::size_t ldx, float* y, std::size_t ldy) {
  check_rows("softmax_rows", rows, cols, x, ldx, y, ldy);
  if (cols == 0) return;
  HWY_DYNAMIC_DISPATCH(SoftmaxF32)(rows, cols, x, ldx, y, ldy);
}
void softmax_rows(std::size_t rows, std::size_t cols, const double* x, std::size_t ldx, double* y, std::size_t ldy) {
  check_rows("softmax_rows", rows, cols, x, ldx, y, ldy);
  if (cols == 0) return;
  HWY_DYNAMIC_DISPATCH(SoftmaxF64)(rows, cols, x, ldx, y, ldy);
}

}  // namespace csc::linalg
#endif  // HWY_ONCE

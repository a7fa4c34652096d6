// Highway + OpenMP kernels behind kernels/linalg/vector_ops.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/linalg/cpu/vector_ops_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/linalg/cpu/tail-inl.h"
#include "kernels/linalg/vector_ops.h"

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Reductions sum fixed blocks of kBlock elements and then the block sums in order, so the result
// is the same for any thread count. Threads start only once there is enough work to pay for them.
constexpr std::size_t kBlock = 1 << 13;
constexpr std::size_t kParallelElements = 1 << 16;
// gemv with op = transpose gives each thread a strip of y this wide (a multiple of every Lanes()).
constexpr std::size_t kStripCols = 512;

// Sums range(begin, count) over the blocks of [0, n).
template <class Range>
double BlockedSum(std::size_t n, Range range) {
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  if (blocks <= 1) return n == 0 ? 0.0 : range(0, n);
  std::vector<double> partial(blocks);
  const auto count = static_cast<std::ptrdiff_t>(blocks);
#pragma omp parallel for schedule(static) if (n >= kParallelElements)
  for (std::ptrdiff_t b = 0; b < count; ++b) {
    const std::size_t begin = static_cast<std::size_t>(b) * kBlock;
    partial[b] = range(begin, std::min(kBlock, n - begin));
  }
  double total = 0;
  for (double p : partial) total += p;
  return total;
}

// Calls body(begin, count) on blocks of [0, n), in parallel for large n.
template <class Body>
void ForBlocks(std::size_t n, Body body) {
  const auto blocks = static_cast<std::ptrdiff_t>((n + kBlock - 1) / kBlock);
#pragma omp parallel for schedule(static) if (n >= kParallelElements)
  for (std::ptrdiff_t b = 0; b < blocks; ++b) {
    const std::size_t begin = static_cast<std::size_t>(b) * kBlock;
    body(begin, std::min(kBlock, n - begin));
  }
}

template <class T>
double DotRange(const T* HWY_RESTRICT x, const T* HWY_RESTRICT y, std::size_t n) {
  const hn::ScalableTag<T> d;
  const std::size_t lanes = hn::Lanes(d);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
  std::size_t i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    s0 = hn::MulAdd(hn::LoadU(d, x + i), hn::LoadU(d, y + i), s0);
    s1 = hn::MulAdd(hn::LoadU(d, x + i + lanes), hn::LoadU(d, y + i + lanes), s1);
    s2 = hn::MulAdd(hn::LoadU(d, x + i + 2 * lanes), hn::LoadU(d, y + i + 2 * lanes), s2);
    s3 = hn::MulAdd(hn::LoadU(d, x + i + 3 * lanes), hn::LoadU(d, y + i + 3 * lanes), s3);
  }
  for (; i + lanes <= n; i += lanes) s0 = hn::MulAdd(hn::LoadU(d, x + i), hn::LoadU(d, y + i), s0);
  if (i < n) s1 = hn::MulAdd(LoadTail(d, x + i, n - i), LoadTail(d, y + i, n - i), s1);
  return hn::GetLane(hn::SumOfLanes(d, hn::Add(hn::Add(s0, s1), hn::Add(s2, s3))));
}

template <class T>
double AbsSumRange(const T* HWY_RESTRICT x, std::size_t n) {
  const hn::ScalableTag<T> d;
  const std::size_t lanes = hn::Lanes(d);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d);
  std::size_t i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    s0 = hn::Add(s0, hn::Abs(hn::LoadU(d, x + i)));
    s1 = hn::Add(s1, hn::Abs(hn::LoadU(d, x + i + lanes)));
  }
  for (; i + lanes <= n; i += lanes) s0 = hn::Add(s0, hn::Abs(hn::LoadU(d, x + i)));
  if (i < n) s1 = hn::Add(s1, hn::Abs(LoadTail(d, x + i, n - i)));
  return hn::GetLane(hn::SumOfLanes(d, hn::Add(s0, s1)));
}

template <class T>
T MaxAbsRange(const T* HWY_RESTRICT x, std::size_t n) {
  const hn::ScalableTag<T> d;
  const std::size_t lanes = hn::Lanes(d);
  auto m = hn::Zero(d);
  std::size_t i = 0;
  for (; i + lanes <= n; i += lanes) m = hn::Max(m, hn::Abs(hn::LoadU(d, x + i)));
  if (i < n) m = hn::Max(m, hn::Abs(LoadTail(d, x + i, n - i)));
  return hn::GetLane(hn::MaxOfLanes(d, m));
}

template <class T>
double ScaledSquaresRange(const T* HWY_RESTRICT x, std::size_t n, T scale) {
  const hn::ScalableTag<T> d;
  const std::size_t lanes = hn::Lanes(d);
  const auto s = hn::Set(d, scale);
  auto s0 = hn::Zero(d), s1 = hn::Zero(d);
  std::size_t i = 0;
  for (; i + 2 * lanes <= n; i += 2 * lanes) {
    const auto a = hn::Mul(hn::LoadU(d, x + i), s), b = hn::Mul(hn::LoadU(d, x + i + lanes), s);
    s0 = hn::MulAdd(a, a, s0);
    s1 = hn::MulAdd(b, b, s1);
  }
  for (; i + lanes <= n; i += lanes) {
    const auto a = hn::Mul(hn::LoadU(d, x + i), s);
    s0 = hn::MulAdd(a, a, s0);
  }
  if (i < n) {
    const auto a = hn::Mul(LoadTail(d, x + i, n - i), s);
    s1 = hn::MulAdd(a, a, s1);
  }
  return hn::GetLane(hn::SumOfLanes(d, hn::Add(s0, s1)));
}

template <class T>
T Dot(std::size_t n, const T* x, const T* y) {
  return static_cast<T>(BlockedSum(n, [&](std::size_t b, std::size_t c) { return DotRange(x + b, y + b, c); }));
}

template <class T>
T Asum(std::size_t n, const T* x) {
  return static_cast<T>(BlockedSum(n, [&](std::size_t b, std::size_t c) { return AbsSumRange(x + b, c); }));
}

template <class T>
T Nrm2(std::size_t n, const T* x) {
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  T max_abs = 0;
  const auto count = static_cast<std::ptrdiff_t>(blocks);
#pragma omp parallel for schedule(static) reduction(max : max_abs) if (n >= kParallelElements)
  for (std::ptrdiff_t b = 0; b < count; ++b) {
    const std::size_t begin = static_cast<std::size_t>(b) * kBlock;
    max_abs = std::max(max_abs, MaxAbsRange(x + begin, std::min(kBlock, n - begin)));
  }
  // With a NaN or an infinity the unscaled sum of squares already gives NaN or +inf. hn::Max may drop
  // a NaN (x86 returns its second operand), so a zero maximum also takes the unscaled path, which
  // yields 0 or that NaN.
  int exponent = 0;
  if (std::isfinite(max_abs) && max_abs != 0) {
    std::frexp(max_abs, &exponent);
    constexpr int kLimit = sizeof(T) == 4 ? 126 : 1022;  // 2^±limit stays a normal number
    exponent = std::clamp(exponent, -kLimit, kLimit);
  }
  const T scale = std::ldexp(T(1), -exponent);
  const double sum = BlockedSum(n, [&](std::size_t b, std::size_t c) { return ScaledSquaresRange(x + b, c, scale); });
  return static_cast<T>(std::ldexp(std::sqrt(sum), exponent));
}

template <class T>
void Axpy(std::size_t n, T a, const T* x, T* y) {
  ForBlocks(n, [&](std::size_t begin, std::size_t count) {
    const hn::ScalableTag<T> d;
    const std::size_t lanes = hn::Lanes(d);
    const auto va = hn::Set(d, a);
    const T* xb = x + begin;
    T* yb = y + begin;
    std::size_t i = 0;
    for (; i + lanes <= count; i += lanes) hn::StoreU(hn::MulAdd(va, hn::LoadU(d, xb + i), hn::LoadU(d, yb + i)), d, yb + i);
    if (i < count) {
      const std::size_t rest = count - i;
      StoreTail(d, hn::MulAdd(va, LoadTail(d, xb + i, rest), LoadTail(d, yb + i, rest)), yb + i, rest);
    }
  });
}

template <class T>
void Scal(std::size_t n, T a, T* x) {
  ForBlocks(n, [&](std::size_t begin, std::size_t count) {
    const hn::ScalableTag<T> d;
    const std::size_t lanes = hn::Lanes(d);
    const auto va = hn::Set(d, a);
    T* xb = x + begin;
    std::size_t i = 0;
    for (; i + lanes <= count; i += lanes) hn::StoreU(hn::Mul(va, hn::LoadU(d, xb + i)), d, xb + i);
    if (i < count) StoreTail(d, hn::Mul(va, LoadTail(d, xb + i, count - i)), xb + i, count - i);
  });
}

// y[i] = alpha * (A x)[i] + beta * y[i], four rows at a time so each load of x serves four rows.
template <class T>
void GemvNone(std::size_t m, std::size_t n, T alpha, const T* a, std::size_t lda, const T* x, T beta, T* y) {
  const auto groups = static_cast<std::ptrdiff_t>((m + 3) / 4);
#pragma omp parallel for schedule(static) if (m > 4 && m * n >= kParallelElements)
  for (std::ptrdiff_t g = 0; g < groups; ++g) {
    const hn::ScalableTag<T> d;
    const std::size_t lanes = hn::Lanes(d);
    const std::size_t r0 = static_cast<std::size_t>(g) * 4;
    const std::size_t rows = std::min<std::size_t>(4, m - r0);
    // Rows past the end repeat the last row; their sums are discarded.
    const T* row[4];
    for (std::size_t r = 0; r < 4; ++r) row[r] = a + (r0 + std::min(r, rows - 1)) * lda;
    auto s0 = hn::Zero(d), s1 = hn::Zero(d), s2 = hn::Zero(d), s3 = hn::Zero(d);
    std::size_t j = 0;
    for (; j + lanes <= n; j += lanes) {
      const auto vx = hn::LoadU(d, x + j);
      s0 = hn::MulAdd(hn::LoadU(d, row[0] + j), vx, s0);
      s1 = hn::MulAdd(hn::LoadU(d, row[1] + j), vx, s1);
      s2 = hn::MulAdd(hn::LoadU(d, row[2] + j), vx, s2);
      s3 = hn::MulAdd(hn::LoadU(d, row[3] + j), vx, s3);
    }
    if (j < n) {
      const std::size_t rest = n - j;
      const auto vx = LoadTail(d, x + j, rest);
      s0 = hn::MulAdd(LoadTail(d, row[0] + j, rest), vx, s0);
      s1 = hn::MulAdd(LoadTail(d, row[1] + j, rest), vx, s1);
      s2 = hn::MulAdd(LoadTail(d, row[2] + j, rest), vx, s2);
      s3 = hn::MulAdd(LoadTail(d, row[3] + j, rest), vx, s3);
    }
    const T sums[4] = {hn::GetLane(hn::SumOfLanes(d, s0)), hn::GetLane(hn::SumOfLanes(d, s1)),
                       hn::GetLane(hn::SumOfLanes(d, s2)), hn::GetLane(hn::SumOfLanes(d, s3))};
    for (std::size_t r = 0; r < rows; ++r) {
      T& out = y[r0 + r];
      out = beta == T(0) ? alpha * sums[r] : alpha * sums[r] + beta * out;
    }
  }
}

// y = alpha * A^T x + beta * y: each thread owns a strip of y and sweeps all rows of A over it.
template <class T>
void GemvTranspose(std::size_t m, std::size_t n, T alpha, const T* a, std::size_t lda, const T* x, T beta, T* y) {
  const auto strips = static_cast<std::ptrdiff_t>((n + kStripCols - 1) / kStripCols);
#pragma omp parallel for schedule(static) if (strips > 1 && m * n >= kParallelElements)
  for (std::ptrdiff_t s = 0; s < strips; ++s) {
    const hn::ScalableTag<T> d;
    const std::size_t lanes = hn::Lanes(d);
    const std::size_t c0 = static_cast<std::size_t>(s) * kStripCols;
    const std::size_t width = std::min(kStripCols, n - c0);
    T* ys = y + c0;
    for (std::size_t j = 0; j < width; ++j) ys[j] = beta == T(0) ? T(0) : beta * ys[j];
    std::size_t i = 0;
    for (; i + 4 <= m; i += 4) {
      const T* r0 = a + i * lda + c0;
      const T* r1 = r0 + lda;
      const T* r2 = r1 + lda;
      const T* r3 = r2 + lda;
      const auto x0 = hn::Set(d, alpha * x[i]), x1 = hn::Set(d, alpha * x[i + 1]);
      const auto x2 = hn::Set(d, alpha * x[i + 2]), x3 = hn::Set(d, alpha * x[i + 3]);
      std::size_t j = 0;
      for (; j + lanes <= width; j += lanes) {
        auto acc = hn::LoadU(d, ys + j);
        acc = hn::MulAdd(x0, hn::LoadU(d, r0 + j), acc);
        acc = hn::MulAdd(x1, hn::LoadU(d, r1 + j), acc);
        acc = hn::MulAdd(x2, hn::LoadU(d, r2 + j), acc);
        acc = hn::MulAdd(x3, hn::LoadU(d, r3 + j), acc);
        hn::StoreU(acc, d, ys + j);
      }
      if (j < width) {
        const std::size_t rest = width - j;
        auto acc = LoadTail(d, ys + j, rest);
        acc = hn::MulAdd(x0, LoadTail(d, r0 + j, rest), acc);
        acc = hn::MulAdd(x1, LoadTail(d, r1 + j, rest), acc);
        acc = hn::MulAdd(x2, LoadTail(d, r2 + j, rest), acc);
        acc = hn::MulAdd(x3, LoadTail(d, r3 + j, rest), acc);
        StoreTail(d, acc, ys + j, rest);
      }
    }
    for (; i < m; ++i) {
      const T* r0 = a + i * lda + c0;
      const auto x0 = hn::Set(d, alpha * x[i]);
      std::size_t j = 0;
      for (; j + lanes <= width; j += lanes) hn::StoreU(hn::MulAdd(x0, hn::LoadU(d, r0 + j), hn::LoadU(d, ys + j)), d, ys + j);
      if (j < width) {
        const std::size_t rest = width - j;
        StoreTail(d, hn::MulAdd(x0, LoadTail(d, r0 + j, rest), LoadTail(d, ys + j, rest)), ys + j, rest);
      }
    }
  }
}

float DotF32(std::size_t n, const float* x, const float* y) { return Dot(n, x, y); }
double DotF64(std::size_t n, const double* x, const double* y) { return Dot(n, x, y); }
void AxpyF32(std::size_t n, float a, const float* x, float* y) { Axpy(n, a, x, y); }
void AxpyF64(std::size_t n, double a, const double* x, double* y) { Axpy(n, a, x, y); }
void ScalF32(std::size_t n, float a, float* x) { Scal(n, a, x); }
void ScalF64(std::size_t n, double a, double* x) { Scal(n, a, x); }
float Nrm2F32(std::size_t n, const float* x) { return Nrm2(n, x); }
double Nrm2F64(std::size_t n, const double* x) { return Nrm2(n, x); }
float AsumF32(std::size_t n, const float* x) { return Asum(n, x); }
double AsumF64(std::size_t n, const double* x) { return Asum(n, x); }
void GemvNoneF32(std::size_t m, std::size_t n, float alpha, const float* a, std::size_t lda, const float* x, float beta, float* y) {
  GemvNone(m, n, alpha, a, lda, x, beta, y);
}
void GemvNoneF64(std::size_t m, std::size_t n, double alpha, const double* a, std::size_t lda, const double* x, double beta, double* y) {
  GemvNone(m, n, alpha, a, lda, x, beta, y);
}
void GemvTransposeF32(std::size_t m, std::size_t n, float alpha, const float* a, std::size_t lda, const float* x, float beta, float* y) {
  GemvTranspose(m, n, alpha, a, lda, x, beta, y);
}
void GemvTransposeF64(std::size_t m, std::size_t n, double alpha, const double* a, std::size_t lda, const double* x, double beta, double* y) {
  GemvTranspose(m, n, alpha, a, lda, x, beta, y);
}

}  // namespace csc::linalg::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <stdexcept>
#include <string>

namespace csc::linalg {
HWY_EXPORT(DotF32);
HWY_EXPORT(DotF64);
HWY_EXPORT(AxpyF32);
HWY_EXPORT(AxpyF64);
HWY_EXPORT(ScalF32);
HWY_EXPORT(ScalF64);
HWY_EXPORT(Nrm2F32);
HWY_EXPORT(Nrm2F64);
HWY_EXPORT(AsumF32);
HWY_EXPORT(AsumF64);
HWY_EXPORT(GemvNoneF32);
HWY_EXPORT(GemvNoneF64);
HWY_EXPORT(GemvTransposeF32);
HWY_EXPORT(GemvTransposeF64);

namespace {
void check_vectors(const char* what, std::size_t n, const void* x, const void* y) {
  if (n > 0 && (x == nullptr || y == nullptr)) throw std::invalid_argument(std::string(what) + ": null vector");
}

void check_gemv(Op op, std::size_t m, std::size_t n, bool reads_a, const void* a, std::size_t lda, const void* x,
                const void* y) {
  if (m == 0 || n == 0) {
    const std::size_t y_len = op == Op::none ? m : n;
    if (y_len > 0 && y == nullptr) throw std::invalid_argument("gemv: null y");
    return;
  }
  if (lda < n) throw std::invalid_argument("gemv: lda smaller than n");
  if (y == nullptr || (reads_a && (a == nullptr || x == nullptr))) throw std::invalid_argument("gemv: null operand");
}

template <class T>
void scale_y(std::size_t len, T beta, T* y) {
  if (beta == T(0)) {
    std::fill(y, y + len, T(0));
  } else if (beta != T(1)) {
    scal(len, beta, y);
  }
}
}  // namespace

float dot(std::size_t n, const float* x, const float* y) {
  check_vectors("dot", n, x, y);
  return HWY_DYNAMIC_DISPATCH(DotF32)(n, x, y);
}
double dot(std::size_t n, const double* x, const double* y) {
  check_vectors("dot", n, x, y);
  return HWY_DYNAMIC_DISPATCH(DotF64)(n, x, y);
}
void axpy(std::size_t n, float a, const float* x, float* y) {
  check_vectors("axpy", n, x, y);
  HWY_DYNAMIC_DISPATCH(AxpyF32)(n, a, x, y);
}
void axpy(std::size_t n, double a, const double* x, double* y) {
  check_vectors("axpy", n, x, y);
  HWY_DYNAMIC_DISPATCH(AxpyF64)(n, a, x, y);
}
void scal(std::size_t n, float a, float* x) {
  check_vectors("scal", n, x, x);
  HWY_DYNAMIC_DISPATCH(ScalF32)(n, a, x);
}
void scal(std::size_t n, double a, double* x) {
  check_vectors("scal", n, x, x);
  HWY_DYNAMIC_DISPATCH(ScalF64)(n, a, x);
}
float nrm2(std::size_t n, const float* x) {
  check_vectors("nrm2", n, x, x);
  return HWY_DYNAMIC_DISPATCH(Nrm2F32)(n, x);
}
double nrm2(std::size_t n, const double* x) {
  check_vectors("nrm2", n, x, x);
  return HWY_DYNAMIC_DISPATCH(Nrm2F64)(n, x);
}
float asum(std::size_t n, const float* x) {
  check_vectors("asum", n, x, x);
  return HWY_DYNAMIC_DISPATCH(AsumF32)(n, x);
}
double asum(std::size_t n, const double* x) {
  check_vectors("asum", n, x, x);
  return HWY_DYNAMIC_DISPATCH(AsumF64)(n, x);
}

void gemv(Op op, std::size_t m, std::size_t n, float alpha, const float* a, std::size_t lda, const float* x,
          float beta, float* y) {
  check_gemv(op, m, n, alpha != 0.0f, a, lda, x, y);
  const std::size_t y_len = op == Op::none ? m : n;
  if (m == 0 || n == 0 || alpha == 0.0f) return scale_y(y_len, beta, y);
  if (op == Op::none) return HWY_DYNAMIC_DISPATCH(GemvNoneF32)(m, n, alpha, a, lda, x, beta, y);
  HWY_DYNAMIC_DISPATCH(GemvTransposeF32)(m, n, alpha, a, lda, x, beta, y);
}
void gemv(Op op, std::size_t m, std::size_t n, double alpha, const double* a, std::size_t lda, const double* x,
          double beta, double* y) {
  check_gemv(op, m, n, alpha != 0.0, a, lda, x, y);
  const std::size_t y_len = op == Op::none ? m : n;
  if (m == 0 || n == 0 || alpha == 0.0) return scale_y(y_len, beta, y);
  if (op == Op::none) return HWY_DYNAMIC_DISPATCH(GemvNoneF64)(m, n, alpha, a, lda, x, beta, y);
  HWY_DYNAMIC_DISPATCH(GemvTransposeF64)(m, n, alpha, a, lda, x, beta, y);
}

}  // namespace csc::linalg
#endif  // HWY_ONCE

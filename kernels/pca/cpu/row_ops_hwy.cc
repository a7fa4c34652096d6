// Highway kernels behind kernels/pca/row_ops.h. Each row is swept a vector at a time with a scalar
// tail; the squared residuals of float data are promoted to double half a vector at a time.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/pca/cpu/row_ops_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include <cmath>

#include "kernels/pca/row_ops.h"

HWY_BEFORE_NAMESPACE();
namespace csc::pca::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class T>
void CentreRowsImpl(T* HWY_RESTRICT x, std::size_t rows, std::size_t d, std::size_t ld, const T* HWY_RESTRICT shift,
                    const T* HWY_RESTRICT factor) {
  const hn::ScalableTag<T> dt;
  const std::size_t N = hn::Lanes(dt);
  for (std::size_t i = 0; i < rows; ++i) {
    T* HWY_RESTRICT row = x + i * ld;
    std::size_t j = 0;
    for (; j + N <= d; j += N)
      hn::StoreU(hn::Mul(hn::Sub(hn::LoadU(dt, row + j), hn::LoadU(dt, shift + j)), hn::LoadU(dt, factor + j)), dt,
                 row + j);
    for (; j < d; ++j) row[j] = (row[j] - shift[j]) * factor[j];
  }
}

// The rows' values as doubles, half a vector of floats (or a whole vector of doubles) at a time.
template <class T>
struct Promoted {
  using DD = hn::ScalableTag<double>;
  using DT = hn::Rebind<T, DD>;
  static hn::Vec<DD> Load(const T* p) {
    if constexpr (sizeof(T) == sizeof(double))
      return hn::LoadU(DD(), p);
    else
      return hn::PromoteTo(DD(), hn::LoadU(DT(), p));
  }
};

template <class T>
void SquaredResidualsImpl(const T* HWY_RESTRICT x, std::size_t ldx, const T* HWY_RESTRICT fit, std::size_t ldfit,
                          std::size_t rows, std::size_t d, double* HWY_RESTRICT out) {
  const hn::ScalableTag<double> dd;
  const std::size_t N = hn::Lanes(dd);
  for (std::size_t i = 0; i < rows; ++i) {
    const T* HWY_RESTRICT a = x + i * ldx;
    const T* HWY_RESTRICT b = fit + i * ldfit;
    auto s0 = hn::Zero(dd), s1 = hn::Zero(dd);
    std::size_t j = 0;
    for (; j + 2 * N <= d; j += 2 * N) {
      const auto r0 = hn::Sub(Promoted<T>::Load(a + j), Promoted<T>::Load(b + j));
      const auto r1 = hn::Sub(Promoted<T>::Load(a + j + N), Promoted<T>::Load(b + j + N));
      s0 = hn::MulAdd(r0, r0, s0);
      s1 = hn::MulAdd(r1, r1, s1);
    }
    double sum = hn::GetLane(hn::SumOfLanes(dd, hn::Add(s0, s1)));
    for (; j < d; ++j) {
      const double r = static_cast<double>(a[j]) - static_cast<double>(b[j]);
      sum += r * r;
    }
    out[i] = sum;
  }
}

template <class T>
void UncentreRowsImpl(const T* HWY_RESTRICT y, std::size_t ldy, std::size_t rows, std::size_t d,
                      const T* HWY_RESTRICT scale, const T* HWY_RESTRICT shift, T* HWY_RESTRICT out,
                      std::size_t ldout) {
  const hn::ScalableTag<T> dt;
  const std::size_t N = hn::Lanes(dt);
  for (std::size_t i = 0; i < rows; ++i) {
    const T* HWY_RESTRICT src = y + i * ldy;
    T* HWY_RESTRICT dst = out + i * ldout;
    std::size_t j = 0;
    for (; j + N <= d; j += N)
      hn::StoreU(hn::MulAdd(hn::LoadU(dt, src + j), hn::LoadU(dt, scale + j), hn::LoadU(dt, shift + j)), dt, dst + j);
    for (; j < d; ++j) dst[j] = std::fma(src[j], scale[j], shift[j]);
  }
}

void CentreRowsF32(float* x, std::size_t rows, std::size_t d, std::size_t ld, const float* shift, const float* factor) {
  CentreRowsImpl(x, rows, d, ld, shift, factor);
}
void CentreRowsF64(double* x, std::size_t rows, std::size_t d, std::size_t ld, const double* shift,
                   const double* factor) {
  CentreRowsImpl(x, rows, d, ld, shift, factor);
}
void SquaredResidualsF32(const float* x, std::size_t ldx, const float* fit, std::size_t ldfit, std::size_t rows,
                         std::size_t d, double* out) {
  SquaredResidualsImpl(x, ldx, fit, ldfit, rows, d, out);
}
void SquaredResidualsF64(const double* x, std::size_t ldx, const double* fit, std::size_t ldfit, std::size_t rows,
                         std::size_t d, double* out) {
  SquaredResidualsImpl(x, ldx, fit, ldfit, rows, d, out);
}
void UncentreRowsF32(const float* y, std::size_t ldy, std::size_t rows, std::size_t d, const float* scale,
                     const float* shift, float* out, std::size_t ldout) {
  UncentreRowsImpl(y, ldy, rows, d, scale, shift, out, ldout);
}
void UncentreRowsF64(const double* y, std::size_t ldy, std::size_t rows, std::size_t d, const double* scale,
                     const double* shift, double* out, std::size_t ldout) {
  UncentreRowsImpl(y, ldy, rows, d, scale, shift, out, ldout);
}

}  // namespace csc::pca::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace csc::pca {
HWY_EXPORT(CentreRowsF32);
HWY_EXPORT(CentreRowsF64);
HWY_EXPORT(SquaredResidualsF32);
HWY_EXPORT(SquaredResidualsF64);
HWY_EXPORT(UncentreRowsF32);
HWY_EXPORT(UncentreRowsF64);

void centre_rows(float* x, std::size_t rows, std::size_t d, std::size_t ld, const float* shift, const float* factor) {
  HWY_DYNAMIC_DISPATCH(CentreRowsF32)(x, rows, d, ld, shift, factor);
}
void centre_rows(double* x, std::size_t rows, std::size_t d, std::size_t ld, const double* shift,
                 const double* factor) {
  HWY_DYNAMIC_DISPATCH(CentreRowsF64)(x, rows, d, ld, shift, factor);
}
void squared_residuals(const float* x, std::size_t ldx, const float* fit, std::size_t ldfit, std::size_t rows,
                       std::size_t d, double* out) {
  HWY_DYNAMIC_DISPATCH(SquaredResidualsF32)(x, ldx, fit, ldfit, rows, d, out);
}
void squared_residuals(const double* x, std::size_t ldx, const double* fit, std::size_t ldfit, std::size_t rows,
                       std::size_t d, double* out) {
  HWY_DYNAMIC_DISPATCH(SquaredResidualsF64)(x, ldx, fit, ldfit, rows, d, out);
}
void uncentre_rows(const float* y, std::size_t ldy, std::size_t rows, std::size_t d, const float* scale,
                   const float* shift, float* out, std::size_t ldout) {
  HWY_DYNAMIC_DISPATCH(UncentreRowsF32)(y, ldy, rows, d, scale, shift, out, ldout);
}
void uncentre_rows(const double* y, std::size_t ldy, std::size_t rows, std::size_t d, const double* scale,
                   const double* shift, double* out, std::size_t ldout) {
  HWY_DYNAMIC_DISPATCH(UncentreRowsF64)(y, ldy, rows, d, scale, shift, out, ldout);
}
}  // namespace csc::pca
#endif

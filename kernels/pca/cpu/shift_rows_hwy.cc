// Highway kernel behind kernels/pca/shift_rows.h. Columns map to lanes of double width (float data is
// loaded half a vector at a time and promoted, so its sums are exact); rows are taken in blocks that
// fit L1 (at most 64 rows) so the accumulators stay in registers while a block is swept column by column.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/pca/cpu/shift_rows_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include <algorithm>

#include "kernels/pca/shift_rows.h"

HWY_BEFORE_NAMESPACE();
namespace csc::pca::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

constexpr std::size_t kMaxRowBlock = 64;
constexpr std::size_t kRowBlockBytes = 24 << 10;  // half of a 48 KiB L1 data cache

template <class D>
HWY_INLINE hn::Vec<D> AsDouble(D, hn::Vec<D> v) {
  return v;
}
template <class D, class VF, hwy::EnableIf<!hwy::IsSame<VF, hn::Vec<D>>()>* = nullptr>
HWY_INLINE hn::Vec<D> AsDouble(D dd, VF v) {
  return hn::PromoteTo(dd, v);
}

template <class T>
void ShiftRowsImpl(const T* HWY_RESTRICT x, std::size_t rows, std::size_t d, std::size_t ld,
                   const T* HWY_RESTRICT shift, T* HWY_RESTRICT out, T* HWY_RESTRICT min, T* HWY_RESTRICT max,
                   double* HWY_RESTRICT sum_x, double* HWY_RESTRICT sum_y) {
  const hn::ScalableTag<double> dd;
  const hn::Rebind<T, decltype(dd)> dt;
  const std::size_t lanes = hn::Lanes(dd);
  const std::size_t block = std::clamp<std::size_t>(kRowBlockBytes / (std::max<std::size_t>(d, 1) * sizeof(T)), 1,
                                                    kMaxRowBlock);
  for (std::size_t r0 = 0; r0 < rows; r0 += block) {
    const std::size_t r1 = std::min(rows, r0 + block);
    std::size_t j = 0;
    for (; j + lanes <= d; j += lanes) {
      auto low = hn::LoadU(dt, min + j);
      auto high = hn::LoadU(dt, max + j);
      const auto s = hn::LoadU(dt, shift + j);
      auto sx = hn::Zero(dd);
      auto sy = hn::Zero(dd);
      for (std::size_t i = r0; i < r1; ++i) {
        const auto v = hn::LoadU(dt, x + i * ld + j);
        low = hn::Min(low, v);
        high = hn::Max(high, v);
        const auto y = hn::Sub(v, s);
        hn::StoreU(y, dt, out + i * d + j);
        sx = hn::Add(sx, AsDouble(dd, v));
        sy = hn::Add(sy, AsDouble(dd, y));
      }
      hn::StoreU(low, dt, min + j);
      hn::StoreU(high, dt, max + j);
      hn::StoreU(hn::Add(hn::LoadU(dd, sum_x + j), sx), dd, sum_x + j);
      hn::StoreU(hn::Add(hn::LoadU(dd, sum_y + j), sy), dd, sum_y + j);
    }
    for (; j < d; ++j) {
      T low = min[j], high = max[j];
      double sx = 0, sy = 0;
      for (std::size_t i = r0; i < r1; ++i) {
        const T v = x[i * ld + j];
        low = std::min(low, v);
        high = std::max(high, v);
        const T y = v - shift[j];
        out[i * d + j] = y;
        sx += static_cast<double>(v);
        sy += static_cast<double>(y);
      }
      min[j] = low;
      max[j] = high;
      sum_x[j] += sx;
      sum_y[j] += sy;
    }
  }
}

void ShiftRowsF32(const float* x, std::size_t rows, std::size_t d, std::size_t ld, const float* shift, float* out,
                  float* min, float* max, double* sum_x, double* sum_y) {
  ShiftRowsImpl(x, rows, d, ld, shift, out, min, max, sum_x, sum_y);
}
void ShiftRowsF64(const double* x, std::size_t rows, std::size_t d, std::size_t ld, const double* shift, double* out,
                  double* min, double* max, double* sum_x, double* sum_y) {
  ShiftRowsImpl(x, rows, d, ld, shift, out, min, max, sum_x, sum_y);
}

}  // namespace csc::pca::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace csc::pca {
HWY_EXPORT(ShiftRowsF32);
HWY_EXPORT(ShiftRowsF64);

void shift_rows(const float* x, std::size_t rows, std::size_t d, std::size_t ld, const float* shift, float* out,
                float* min, float* max, double* sum_x, double* sum_y) {
  HWY_DYNAMIC_DISPATCH(ShiftRowsF32)(x, rows, d, ld, shift, out, min, max, sum_x, sum_y);
}
void shift_rows(const double* x, std::size_t rows, std::size_t d, std::size_t ld, const double* shift, double* out,
                double* min, double* max, double* sum_x, double* sum_y) {
  HWY_DYNAMIC_DISPATCH(ShiftRowsF64)(x, rows, d, ld, shift, out, min, max, sum_x, sum_y);
}
}  // namespace csc::pca
#endif

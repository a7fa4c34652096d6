// Highway kernel behind kernels/pca/shift_rows.h. Columns map to lanes of double width (float data is
// loaded half a vector at a time and promoted, so its sums are exact); rows are taken in blocks that
// fit L1 (at most 64 rows) so the accumulators stay in registers while a block is swept two vectors of
// columns at a time; the last columns take the vector that ends at column d (stack buffers only when
// d is narrower than one vector).
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

// One vector of columns through a block of rows: extremes, shifted copy and both sums, in registers.
template <class DD, class DT, class T = hn::TFromD<DT>>
struct ColumnLanes {
  hn::Vec<DT> low, high, shift;
  hn::Vec<DD> sum_x, sum_y;

  HWY_INLINE ColumnLanes(DD dd, DT dt, const T* min, const T* max, const T* s)
      : low(hn::LoadU(dt, min)), high(hn::LoadU(dt, max)), shift(hn::LoadU(dt, s)), sum_x(hn::Zero(dd)),
        sum_y(hn::Zero(dd)) {}
  HWY_INLINE hn::Vec<DT> Add(DD dd, hn::Vec<DT> v) {
    low = hn::Min(low, v);
    high = hn::Max(high, v);
    const auto y = hn::Sub(v, shift);
    sum_x = hn::Add(sum_x, AsDouble(dd, v));
    sum_y = hn::Add(sum_y, AsDouble(dd, y));
    return y;
  }
};

template <class T>
void ShiftRowsImpl(const T* HWY_RESTRICT x, std::size_t rows, std::size_t d, std::size_t ld,
                   const T* HWY_RESTRICT shift, T* HWY_RESTRICT out, std::size_t out_ld, T* HWY_RESTRICT min,
                   T* HWY_RESTRICT max, double* HWY_RESTRICT sum_x, double* HWY_RESTRICT sum_y) {
  const hn::ScalableTag<double> dd;
  const hn::Rebind<T, decltype(dd)> dt;
  const std::size_t lanes = hn::Lanes(dd);
  const std::size_t block = std::clamp<std::size_t>(kRowBlockBytes / (std::max<std::size_t>(d, 1) * sizeof(T)), 1,
                                                    kMaxRowBlock);
  const auto store_sums = [&](const auto& c, std::size_t j) {
    hn::StoreU(c.low, dt, min + j);
    hn::StoreU(c.high, dt, max + j);
    hn::StoreU(hn::Add(hn::LoadU(dd, sum_x + j), c.sum_x), dd, sum_x + j);
    hn::StoreU(hn::Add(hn::LoadU(dd, sum_y + j), c.sum_y), dd, sum_y + j);
  };
  for (std::size_t r0 = 0; r0 < rows; r0 += block) {
    const std::size_t r1 = std::min(rows, r0 + block);
    std::size_t j = 0;
    // Two vectors of columns at a time: four independent chains of double additions.
    for (; j + 2 * lanes <= d; j += 2 * lanes) {
      ColumnLanes a(dd, dt, min + j, max + j, shift + j);
      ColumnLanes b(dd, dt, min + j + lanes, max + j + lanes, shift + j + lanes);
      for (std::size_t i = r0; i < r1; ++i) {
        hn::StoreU(a.Add(dd, hn::LoadU(dt, x + i * ld + j)), dt, out + i * out_ld + j);
        hn::StoreU(b.Add(dd, hn::LoadU(dt, x + i * ld + j + lanes)), dt, out + i * out_ld + j + lanes);
      }
      store_sums(a, j);
      store_sums(b, j + lanes);
    }
    for (; j + lanes <= d; j += lanes) {
      ColumnLanes a(dd, dt, min + j, max + j, shift + j);
      for (std::size_t i = r0; i < r1; ++i) hn::StoreU(a.Add(dd, hn::LoadU(dt, x + i * ld + j)), dt, out + i * out_ld + j);
      store_sums(a, j);
    }
    if (j < d && d >= lanes) {
      // The last columns: the vector ending at column d, overlapping columns already done. Extremes
      // and the shifted copy are idempotent there; the sums take zeros in the overlapping lanes.
      const std::size_t last = d - lanes;
      const auto fresh = hn::Not(hn::FirstN(dt, j - last));
      ColumnLanes c(dd, dt, min + last, max + last, shift + last);
      for (std::size_t i = r0; i < r1; ++i) {
        const auto v = hn::LoadU(dt, x + i * ld + last);
        const auto y = hn::Sub(v, c.shift);
        hn::StoreU(y, dt, out + i * out_ld + last);
        c.low = hn::Min(c.low, v);
        c.high = hn::Max(c.high, v);
        c.sum_x = hn::Add(c.sum_x, AsDouble(dd, hn::IfThenElseZero(fresh, v)));
        c.sum_y = hn::Add(c.sum_y, AsDouble(dd, hn::IfThenElseZero(fresh, y)));
      }
      store_sums(c, last);
      j = d;
    }
    for (; j < d; j += lanes) {
      // Fewer columns than one vector: rows go through a stack buffer (the lanes past d hold zeros
      // that nobody stores).
      const std::size_t count = std::min(lanes, d - j);
      HWY_ALIGN T lo[hn::MaxLanes(dt)] = {}, hi[hn::MaxLanes(dt)] = {}, sh[hn::MaxLanes(dt)] = {};
      HWY_ALIGN T row[hn::MaxLanes(dt)] = {};
      HWY_ALIGN double sx[hn::MaxLanes(dd)] = {}, sy[hn::MaxLanes(dd)] = {};
      std::copy_n(min + j, count, lo);
      std::copy_n(max + j, count, hi);
      std::copy_n(shift + j, count, sh);
      std::copy_n(sum_x + j, count, sx);
      std::copy_n(sum_y + j, count, sy);
      ColumnLanes c(dd, dt, lo, hi, sh);
      for (std::size_t i = r0; i < r1; ++i) {
        std::copy_n(x + i * ld + j, count, row);
        hn::Store(c.Add(dd, hn::Load(dt, row)), dt, row);
        std::copy_n(row, count, out + i * out_ld + j);
      }
      hn::Store(c.low, dt, lo);
      hn::Store(c.high, dt, hi);
      hn::Store(hn::Add(hn::Load(dd, sx), c.sum_x), dd, sx);
      hn::Store(hn::Add(hn::Load(dd, sy), c.sum_y), dd, sy);
      std::copy_n(lo, count, min + j);
      std::copy_n(hi, count, max + j);
      std::copy_n(sx, count, sum_x + j);
      std::copy_n(sy, count, sum_y + j);
    }
  }
}

void ShiftRowsF32(const float* x, std::size_t rows, std::size_t d, std::size_t ld, const float* shift, float* out,
                  std::size_t out_ld, float* min, float* max, double* sum_x, double* sum_y) {
  ShiftRowsImpl(x, rows, d, ld, shift, out, out_ld, min, max, sum_x, sum_y);
}
void ShiftRowsF64(const double* x, std::size_t rows, std::size_t d, std::size_t ld, const double* shift, double* out,
                  std::size_t out_ld, double* min, double* max, double* sum_x, double* sum_y) {
  ShiftRowsImpl(x, rows, d, ld, shift, out, out_ld, min, max, sum_x, sum_y);
}

}  // namespace csc::pca::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace csc::pca {
HWY_EXPORT(ShiftRowsF32);
HWY_EXPORT(ShiftRowsF64);

void shift_rows(const float* x, std::size_t rows, std::size_t d, std::size_t ld, const float* shift, float* out,
                std::size_t out_ld, float* min, float* max, double* sum_x, double* sum_y) {
  HWY_DYNAMIC_DISPATCH(ShiftRowsF32)(x, rows, d, ld, shift, out, out_ld, min, max, sum_x, sum_y);
}
void shift_rows(const double* x, std::size_t rows, std::size_t d, std::size_t ld, const double* shift, double* out,
                std::size_t out_ld, double* min, double* max, double* sum_x, double* sum_y) {
  HWY_DYNAMIC_DISPATCH(ShiftRowsF64)(x, rows, d, ld, shift, out, out_ld, min, max, sum_x, sum_y);
}
}  // namespace csc::pca
#endif

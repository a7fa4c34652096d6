// Highway + OpenMP kernels behind kernels/linalg/column_stats.h. Columns map to SIMD lanes; rows are
// taken in cache-sized blocks, swept row by row, each block summarised by a shifted, corrected two-pass
// (mean, M2) and folded into the running statistics with Chan, Golub & LeVeque's pairwise update, which
// stays accurate with a large common offset (1e8 + unit spread) where the textbook sum-of-squares
// formula cancels entirely.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/linalg/cpu/column_stats_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include <hwy/aligned_allocator.h>
#include <hwy/cache_control.h>
#include <algorithm>
#include <cmath>
#include <new>
#include <vector>

#include "kernels/linalg/column_stats.h"
#include "kernels/linalg/cpu/tail-inl.h"

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// A block of rows is read twice, so it should stay in L2.
constexpr std::size_t kBlockBytes = 1 << 18;
constexpr std::size_t kMaxBlockRows = 1024;
// From 2 * kStripCols columns on, threads take strips of columns (no merging needed); below that,
// fixed chunks of rows.
constexpr std::size_t kStripCols = 512;  // 2-4 KiB of each row; the nine accumulator arrays fill 36 KiB of L1
constexpr std::size_t kChunkRows = 8192;
// A strip's rows are `ld` apart, each run (at most kStripCols values) too short for the hardware
// prefetchers to ramp up: pass 1 prefetches the run this many rows ahead.
constexpr std::size_t kPrefetchRows = 4;
constexpr std::size_t kParallelCells = 1 << 16;
// Accumulator arrays are padded to a whole number of the widest vector of doubles.
constexpr std::size_t kPad = HWY_MAX_BYTES / sizeof(double);

std::size_t Padded(std::size_t n) { return (n + kPad - 1) / kPad * kPad; }

template <class D>
HWY_INLINE hn::Vec<D> LoadAsDouble(D dd, const double* p, std::size_t count) {
  return count == hn::Lanes(dd) ? hn::LoadU(dd, p) : LoadTail(dd, p, count);
}
template <class D>
HWY_INLINE hn::Vec<D> LoadAsDouble(D dd, const float* p, std::size_t count) {
  const hn::Rebind<float, D> df;
  return hn::PromoteTo(dd, count == hn::Lanes(dd) ? hn::LoadU(df, p) : LoadTail(df, p, count));
}

// Running statistics of some columns, in padded arrays that full vectors may load and store, and the
// per-block sums of Accumulate (same padding).
struct Accumulator {
  std::size_t rows = 0;
  double* mean;
  double* m2;
  double* min;        // +inf until a finite value is seen
  double* max;        // -inf until a finite value is seen
  double* nonfinite;  // counts, exact in double
  double* shift;      // per block: the shift of its sums
  double* sum;        // per block: sum of x - shift, then the shifted block mean
  double* m2_block;   // per block: sum of squared deviations from the block mean
  double* dev_sum;    // per block: sum of those deviations (the two-pass correction)
};

// Folds rows [0, rows) of the `width` columns starting at x into a fresh accumulator. Each block of
// rows is swept row by row (every row read left to right, so the hardware prefetchers stream it and
// no load crosses to another page per element), the per-column sums kept in the accumulator's
// arrays, which stay in L1.
template <class T>
void Accumulate(const T* x, std::size_t ld, std::size_t rows, std::size_t width, Accumulator& acc) {
  const hn::ScalableTag<double> dd;
  const std::size_t lanes = hn::Lanes(dd);
  const std::size_t padded = Padded(width);
  // Local restrict copies: through `acc` the compiler would reload every array pointer after each
  // store (a double store might alias them).
  double* HWY_RESTRICT mean = acc.mean;
  double* HWY_RESTRICT m2 = acc.m2;
  double* HWY_RESTRICT min = acc.min;
  double* HWY_RESTRICT max = acc.max;
  double* HWY_RESTRICT nonfinite = acc.nonfinite;
  double* HWY_RESTRICT shift = acc.shift;
  double* HWY_RESTRICT sum = acc.sum;
  double* HWY_RESTRICT m2_block = acc.m2_block;
  double* HWY_RESTRICT dev_sum = acc.dev_sum;
  std::fill(mean, mean + padded, 0.0);
  std::fill(m2, m2 + padded, 0.0);
  std::fill(min, min + padded, INFINITY);
  std::fill(max, max + padded, -INFINITY);
  std::fill(nonfinite, nonfinite + padded, 0.0);
  acc.rows = 0;
  const std::size_t block_rows = std::clamp<std::size_t>(kBlockBytes / (std::max<std::size_t>(width, 1) * sizeof(T)), 1, kMaxBlockRows);
  const auto pos_inf = hn::Set(dd, INFINITY), neg_inf = hn::Set(dd, -INFINITY), one = hn::Set(dd, 1.0);

  for (std::size_t r0 = 0; r0 < rows; r0 += block_rows) {
    const std::size_t nb = std::min(block_rows, rows - r0);
    const std::size_t na = acc.rows;
    const double n = static_cast<double>(na + nb);
    const auto inv_nb = hn::Set(dd, 1.0 / static_cast<double>(nb));
    const auto weight_b = hn::Set(dd, static_cast<double>(nb) / n);
    const auto weight_ab = hn::Set(dd, static_cast<double>(na) * static_cast<double>(nb) / n);
    const T* block = x + r0 * ld;
    // Sums run over x - shift with the shift near the column mean (the running mean, or the block's
    // first row at the start), so with a large common offset they add O(spread) numbers and the
    // shifted differences are exact.
    for (std::size_t j = 0; j < width; j += lanes) {
      const std::size_t count = std::min(lanes, width - j);
      hn::Store(na > 0 ? hn::Load(dd, mean + j) : LoadAsDouble(dd, block + j, count), dd, shift + j);
      hn::Store(hn::Zero(dd), dd, sum + j);
      hn::Store(hn::Zero(dd), dd, m2_block + j);
      hn::Store(hn::Zero(dd), dd, dev_sum + j);
    }
    // Pass 1: shifted sums, finite min/max and the non-finite count.
    for (std::size_t r = 0; r < nb; ++r) {
      const T* row = block + r * ld;
      if (r0 + r + kPrefetchRows < rows)
        for (std::size_t j = 0; j < width; j += 64 / sizeof(T)) hwy::Prefetch(row + kPrefetchRows * ld + j);
      for (std::size_t j = 0; j < width; j += lanes) {
        const auto v = LoadAsDouble(dd, row + j, std::min(lanes, width - j));
        const auto finite = hn::IsFinite(v);
        hn::Store(hn::Add(hn::Load(dd, sum + j), hn::Sub(v, hn::Load(dd, shift + j))), dd, sum + j);
        hn::Store(hn::Min(hn::Load(dd, min + j), hn::IfThenElse(finite, v, pos_inf)), dd, min + j);
        hn::Store(hn::Max(hn::Load(dd, max + j), hn::IfThenElse(finite, v, neg_inf)), dd, max + j);
        hn::Store(hn::Add(hn::Load(dd, nonfinite + j), hn::IfThenZeroElse(finite, one)), dd, nonfinite + j);
      }
    }
    for (std::size_t j = 0; j < width; j += lanes) hn::Store(hn::Mul(hn::Load(dd, sum + j), inv_nb), dd, sum + j);
    // Pass 2: squared deviations from the block mean, corrected by the deviations' own sum.
    for (std::size_t r = 0; r < nb; ++r) {
      const T* row = block + r * ld;
      for (std::size_t j = 0; j < width; j += lanes) {
        const auto v = LoadAsDouble(dd, row + j, std::min(lanes, width - j));
        const auto dev = hn::Sub(hn::Sub(v, hn::Load(dd, shift + j)), hn::Load(dd, sum + j));
        hn::Store(hn::MulAdd(dev, dev, hn::Load(dd, m2_block + j)), dd, m2_block + j);
        hn::Store(hn::Add(hn::Load(dd, dev_sum + j), dev), dd, dev_sum + j);
      }
    }
    // Merge with the rows before this block (mean_a is 0 and weight_b 1 for the first block).
    for (std::size_t j = 0; j < width; j += lanes) {
      const auto mean_a = hn::Load(dd, mean + j);
      const auto shifted_mean_b = hn::Load(dd, sum + j);
      const auto deviations = hn::Load(dd, dev_sum + j);
      const auto m2_b = hn::NegMulAdd(hn::Mul(deviations, deviations), inv_nb, hn::Load(dd, m2_block + j));
      const auto delta = hn::Add(hn::Sub(hn::Load(dd, shift + j), mean_a), shifted_mean_b);
      hn::Store(hn::MulAdd(delta, weight_b, mean_a), dd, mean + j);
      const auto m2_ab = hn::Add(hn::Load(dd, m2 + j), m2_b);
      hn::Store(hn::MulAdd(hn::Mul(delta, delta), weight_ab, m2_ab), dd, m2 + j);
    }
    acc.rows += nb;
  }
}

// Copies `width` columns of an accumulator into `out` starting at column `at`, applying the NaN rules.
void Finish(const Accumulator& acc, std::size_t width, ColumnStats& out, std::size_t at) {
  for (std::size_t j = 0; j < width; ++j) {
    const bool clean = acc.rows > 0 && acc.nonfinite[j] == 0;
    out.mean[at + j] = clean ? acc.mean[j] : NAN;
    out.m2[at + j] = clean ? acc.m2[j] : NAN;
    out.min[at + j] = acc.min[j] == INFINITY ? NAN : acc.min[j];
    out.max[at + j] = acc.max[j] == -INFINITY ? NAN : acc.max[j];
    out.nonfinite[at + j] = static_cast<std::size_t>(acc.nonfinite[j]);
  }
}

ColumnStats Sized(std::size_t rows, std::size_t cols) {
  ColumnStats s;
  s.rows = rows;
  s.mean.assign(cols, NAN);
  s.m2.assign(cols, NAN);
  s.min.assign(cols, NAN);
  s.max.assign(cols, NAN);
  s.nonfinite.assign(cols, 0);
  return s;
}

// Storage for one Accumulator over `width` columns, aligned for full-vector Load/Store.
struct AccumulatorStorage {
  hwy::AlignedFreeUniquePtr<double[]> data;
  Accumulator acc;
  explicit AccumulatorStorage(std::size_t width) : data(hwy::AllocateAligned<double>(9 * Padded(width))) {
    const std::size_t p = Padded(width);
    double* base = data.get();
    if (base == nullptr) throw std::bad_alloc();
    acc = Accumulator{0,         base,         base + p,     base + 2 * p, base + 3 * p,
                      base + 4 * p, base + 5 * p, base + 6 * p, base + 7 * p, base + 8 * p};
  }
};

template <class T>
ColumnStats Stats(std::size_t rows, std::size_t cols, const T* x, std::size_t ld) {
  ColumnStats result = Sized(rows, cols);
  if (rows == 0 || cols == 0) return result;
  const bool parallel = rows * cols >= kParallelCells;
  if (cols >= 2 * kStripCols) {
    // Every strip sees every row, in the same order whatever the thread count.
    const auto strips = static_cast<std::ptrdiff_t>((cols + kStripCols - 1) / kStripCols);
#pragma omp parallel if (parallel)
    {
      AccumulatorStorage storage(kStripCols);
#pragma omp for schedule(static)
      for (std::ptrdiff_t s = 0; s < strips; ++s) {
        const std::size_t c0 = static_cast<std::size_t>(s) * kStripCols;
        const std::size_t width = std::min(kStripCols, cols - c0);
        Accumulate(x + c0, ld, rows, width, storage.acc);
        Finish(storage.acc, width, result, c0);
      }
    }
    return result;
  }
  // Fixed row chunks merged in chunk order: the result does not depend on the thread count.
  const std::size_t chunks = (rows + kChunkRows - 1) / kChunkRows;
  std::vector<ColumnStats> parts(chunks);
  const auto count = static_cast<std::ptrdiff_t>(chunks);
#pragma omp parallel if (parallel && chunks > 1)
  {
    AccumulatorStorage storage(cols);
#pragma omp for schedule(static)
    for (std::ptrdiff_t c = 0; c < count; ++c) {
      const std::size_t r0 = static_cast<std::size_t>(c) * kChunkRows;
      const std::size_t nr = std::min(kChunkRows, rows - r0);
      Accumulate(x + r0 * ld, ld, nr, cols, storage.acc);
      parts[c] = Sized(nr, cols);
      Finish(storage.acc, cols, parts[c], 0);
    }
  }
  ColumnStats merged;
  for (const ColumnStats& part : parts) merge_column_stats(merged, part);
  return merged;
}

ColumnStats StatsF32(std::size_t rows, std::size_t cols, const float* x, std::size_t ld) { return Stats(rows, cols, x, ld); }
ColumnStats StatsF64(std::size_t rows, std::size_t cols, const double* x, std::size_t ld) { return Stats(rows, cols, x, ld); }

}  // namespace csc::linalg::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <stdexcept>

namespace csc::linalg {
HWY_EXPORT(StatsF32);
HWY_EXPORT(StatsF64);

namespace {
void check(std::size_t rows, std::size_t cols, const void* x, std::size_t ld) {
  if (rows == 0 || cols == 0) return;
  if (x == nullptr) throw std::invalid_argument("column_stats: null matrix");
  if (ld < cols) throw std::invalid_argument("column_stats: leading dimension smaller than cols");
}
}  // namespace

ColumnStats column_stats(std::size_t rows, std::size_t cols, const float* x, std::size_t ld) {
  check(rows, cols, x, ld);
  return HWY_DYNAMIC_DISPATCH(StatsF32)(rows, cols, x, ld);
}
ColumnStats column_stats(std::size_t rows, std::size_t cols, const double* x, std::size_t ld) {
  check(rows, cols, x, ld);
  return HWY_DYNAMIC_DISPATCH(StatsF64)(rows, cols, x, ld);
}

std::vector<double> ColumnStats::variance(std::size_t ddof) const {
  std::vector<double> v(cols(), NAN);
  if (rows <= ddof) return v;
  for (std::size_t j = 0; j < cols(); ++j) v[j] = m2[j] / static_cast<double>(rows - ddof);
  return v;
}

void merge_column_stats(ColumnStats& total, const ColumnStats& block) {
  if (total.rows == 0 && total.cols() == 0) {
    total = block;
    return;
  }
  if (block.cols() != total.cols()) throw std::invalid_argument("merge_column_stats: column counts differ");
  if (block.rows == 0) return;
  if (total.rows == 0) {
    total = block;
    return;
  }
  const double na = static_cast<double>(total.rows), nb = static_cast<double>(block.rows), n = na + nb;
  for (std::size_t j = 0; j < total.cols(); ++j) {
    const double delta = block.mean[j] - total.mean[j];
    total.mean[j] += delta * (nb / n);
    total.m2[j] += block.m2[j] + delta * delta * (na * nb / n);
    total.min[j] = std::fmin(total.min[j], block.min[j]);  // fmin skips the NaN of "no finite value"
    total.max[j] = std::fmax(total.max[j], block.max[j]);
    total.nonfinite[j] += block.nonfinite[j];
  }
  total.rows += block.rows;
}

}  // namespace csc::linalg
#endif  // HWY_ONCE

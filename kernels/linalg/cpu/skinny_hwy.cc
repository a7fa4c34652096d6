// Skinny-product kernels per SIMD target (see skinny.h): the GEMM micro-kernel over A's rows in place
// for Aᵀ·B, a register tile of dot products for A·Btᵀ, and the alpha/beta/epilogue finish.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/linalg/cpu/skinny_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include <algorithm>
#include <cstddef>

#include "kernels/linalg/cpu/gemm_tile-inl.h"
#include "kernels/linalg/cpu/skinny.h"

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::cpu::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Elements of k per chunk of the dot products: the tile's rows of A (8 KiB each) stay in L1 and the
// chunk of Bt's rows in L2; the horizontal sums at each chunk's end are ~5 % of the work.
constexpr std::size_t kDotChunkBytes = 8 << 10;
// How many rows ahead the Aᵀ·B packing prefetches its runs of A (8 against 4, with the next block's
// rows fetched too: 104 → 115 GFLOP/s on the Xᵀ·Q of skinny.h's note).
constexpr std::size_t kPrefetchRows = 8;

// The dot-product tile: kDotRows rows of A x kDotCols rows of Bt, one accumulator each, plus the
// loaded A vectors and one Bt vector: 4 x 6 + 4 + 1 = 29 of AVX-512's 32 registers, 3 x 4 + 3 + 1 =
// 16 of AVX2's.
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL || HWY_ARCH_ARM_A64
constexpr std::size_t kDotRows = 4, kDotCols = 6;
#else
constexpr std::size_t kDotRows = 3, kDotCols = 4;
#endif

template <class D, class T = hn::TFromD<D>>
void OuterRows(D d, const T* HWY_RESTRICT a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
               const T* HWY_RESTRICT bp, std::size_t n_pad, T* HWY_RESTRICT cp, T* HWY_RESTRICT pack) {
  const std::size_t N = hn::Lanes(d), NR = kNV * N;
  const std::size_t kVectors = (kMR + N - 1) / N;
  const std::size_t kc = outer_rows_depth(n_pad, sizeof(T)), width = outer_rows_width(kMR);
  for (std::size_t p0 = 0; p0 < k; p0 += kc) {
    const std::size_t depth = std::min(kc, k - p0);
    for (std::size_t w0 = 0; w0 < rows; w0 += width) {
      // Pack the depth x width block of A into kMR-wide slivers (zeros past the last row of C): the
      // rows of A are read as runs of `width` values, and the micro-kernel then reads from L2.
      const std::size_t slivers = (std::min(width, rows - w0) + kMR - 1) / kMR;  // of the block
      const std::size_t run = std::min(width, rows - w0);
      for (std::size_t p = 0; p < depth; ++p) {
        const T* HWY_RESTRICT src = a + (p0 + p) * lda + i0 + w0;
        // Rows are `lda` apart: too short a run for the hardware prefetcher. Past the block's last
        // row, the next block's first rows (same chunk, the next columns) are fetched.
        if (p + kPrefetchRows < depth) {
          for (std::size_t q = 0; q < run; q += 64 / sizeof(T)) hwy::Prefetch(src + kPrefetchRows * lda + q);
        } else if (w0 + width < rows && p + kPrefetchRows - depth < depth) {
          const T* HWY_RESTRICT ahead = a + (p0 + p + kPrefetchRows - depth) * lda + i0 + w0 + width;
          const std::size_t ahead_run = std::min(width, rows - w0 - width);
          for (std::size_t q = 0; q < ahead_run; q += 64 / sizeof(T)) hwy::Prefetch(ahead + q);
        }
        for (std::size_t s = 0; s < slivers; ++s) {
          T* HWY_RESTRICT dst = pack + (s * depth + p) * kMR;
          if (p + 1 < depth && w0 + s * kMR + kVectors * N <= rows) {
            // Whole vectors spill past the kMR values into row p + 1 of the sliver, written next.
            for (std::size_t v = 0; v < kVectors; ++v) hn::StoreU(hn::LoadU(d, src + s * kMR + v * N), d, dst + v * N);
          } else {
            for (std::size_t r = 0; r < kMR; ++r) dst[r] = w0 + s * kMR + r < rows ? src[s * kMR + r] : T(0);
          }
        }
      }
      for (std::size_t s = 0; s < slivers; ++s)
        for (std::size_t j = 0; j < n_pad; j += NR) {
          const TileOut<T> out{cp + (w0 + s * kMR) * n_pad + j, n_pad, T(1), T(1), p0 > 0};  // the first chunk stores
          MicroKernel(d, depth, pack + s * depth * kMR, kMR, bp + p0 * n_pad + j, n_pad, out);
        }
    }
  }
}

// C[i + r][j + c] (+)= alpha * the dot product of A's row and Bt's row over the chunk [p0, p0 + kc) of
// k, for a kDotRows x kDotCols tile (the first chunk applies beta); rows and columns past the edge
// repeat the last real one and are not stored. `ahead` (elements; 0 for none): prefetch A that far
// past each load, so that memory works while the other column groups reuse this chunk from L1.
// The tile's accumulators are named variables, as in MicroKernel (sizeless SVE vectors cannot live in
// arrays): acc<r>_<c> for row r of A and row c of Bt, spelled out by these lists.
#define CSC_DOT_ROWS(X, c) X(0, c) X(1, c) X(2, c) X(3, c)
#define CSC_DOT_TILE(X) \
  CSC_DOT_ROWS(X, 0) CSC_DOT_ROWS(X, 1) CSC_DOT_ROWS(X, 2) CSC_DOT_ROWS(X, 3) CSC_DOT_ROWS(X, 4) CSC_DOT_ROWS(X, 5)
#define CSC_DOT_COLS(X) X(0) X(1) X(2) X(3) X(4) X(5)

template <class D, class T = hn::TFromD<D>>
void DotTile(D d, const GemmProblem<T>& pr, const T* HWY_RESTRICT bt, std::size_t ldbt, std::size_t i,
             std::size_t rows, std::size_t j, std::size_t cols, std::size_t p0, std::size_t kc, std::size_t ahead) {
  static_assert(kDotRows <= 4 && kDotCols <= 6, "CSC_DOT_TILE lists 4 x 6");
  using V = hn::Vec<D>;
  const std::size_t N = hn::Lanes(d);
  const T* HWY_RESTRICT a_row[kDotRows];
  const T* HWY_RESTRICT b_row[kDotCols];
  for (std::size_t r = 0; r < kDotRows; ++r) a_row[r] = pr.a + (i + std::min(r, rows - 1)) * pr.lda;
  for (std::size_t c = 0; c < kDotCols; ++c) b_row[c] = bt + (j + std::min(c, cols - 1)) * ldbt;
  const std::size_t k_whole = pr.k / N * N;
#define CSC_DOT_DECLARE(r, c) [[maybe_unused]] V acc##r##_##c = hn::Zero(d);
  CSC_DOT_TILE(CSC_DOT_DECLARE)
#undef CSC_DOT_DECLARE
  [[maybe_unused]] V a0 = hn::Zero(d), a1 = a0, a2 = a0, a3 = a0;
#define CSC_DOT_FMA(r, c) \
  if constexpr (r < kDotRows) acc##r##_##c = hn::MulAdd(a##r, b, acc##r##_##c);
#define CSC_DOT_COLUMN(c)           \
  if constexpr (c < kDotCols) {     \
    const V b = LOAD(b_row[c]);     \
    CSC_DOT_ROWS(CSC_DOT_FMA, c)    \
  }
#define CSC_DOT_LOAD_A(r, unused) \
  if constexpr (r < kDotRows) a##r = LOAD(a_row[r]);
  const std::size_t p_end = std::min(p0 + kc, k_whole);
  for (std::size_t p = p0; p < p_end; p += N) {
#define LOAD(row) hn::LoadU(d, (row) + p)
    if (ahead != 0)
      for (std::size_t r = 0; r < kDotRows; ++r) hwy::Prefetch(a_row[r] + p + ahead);
    CSC_DOT_ROWS(CSC_DOT_LOAD_A, 0)
    CSC_DOT_COLS(CSC_DOT_COLUMN)
#undef LOAD
  }
  if (p0 + kc >= pr.k && k_whole < pr.k) {  // the last chunk: fewer than N values left
#define LOAD(row) math::LoadTail(d, (row) + k_whole, pr.k - k_whole)
    CSC_DOT_ROWS(CSC_DOT_LOAD_A, 0)
    CSC_DOT_COLS(CSC_DOT_COLUMN)
#undef LOAD
  }
#undef CSC_DOT_LOAD_A
#undef CSC_DOT_COLUMN
#undef CSC_DOT_FMA
  const auto store = [&](std::size_t r, std::size_t c, V acc) {
    if (r >= rows || c >= cols) return;
    T& out = pr.c[(i + r) * pr.ldc + j + c];
    const T sum = pr.alpha * hn::GetLane(hn::SumOfLanes(d, acc));
    out = p0 > 0 ? out + sum : pr.beta == T(0) ? sum : sum + pr.beta * out;
  };
#define CSC_DOT_STORE(r, c) \
  if constexpr (r < kDotRows && c < kDotCols) store(r, c, acc##r##_##c);
  CSC_DOT_TILE(CSC_DOT_STORE)
#undef CSC_DOT_STORE
}
#undef CSC_DOT_COLS
#undef CSC_DOT_TILE
#undef CSC_DOT_ROWS

// Chunk by chunk of k (Bt's chunk, n x kc, stays in L2), every row group of A on it, and every column
// group on a row group's chunk while that is in L1; the first column group prefetches the next
// row group's chunk.
template <class D, class T = hn::TFromD<D>>
void DotRows(D d, const GemmProblem<T>& pr, std::size_t i0, std::size_t rows, const T* HWY_RESTRICT bt,
             std::size_t ldbt) {
  const std::size_t N = hn::Lanes(d);
  const std::size_t kc = std::max<std::size_t>(kDotChunkBytes / sizeof(T) / N * N, N);
  for (std::size_t p0 = 0; p0 < pr.k; p0 += kc)
    for (std::size_t i = i0; i < i0 + rows; i += kDotRows) {
      const std::size_t tile_rows = std::min(kDotRows, i0 + rows - i);
      const std::size_t next = i + 2 * kDotRows <= i0 + rows ? kDotRows * pr.lda : 0;
      for (std::size_t j = 0; j < pr.n; j += kDotCols)
        DotTile(d, pr, bt, ldbt, i, tile_rows, j, std::min(kDotCols, pr.n - j), p0, kc, j == 0 ? next : 0);
    }
}

// The broadcast tile: kPanelRows rows of A read where they lie (row r at a + r * lda), each value
// broadcast against kVectors vectors of a row of Bp; accumulators as in MicroKernel (6 x 2 + 2 + 1 =
// 15 of AVX2's 16 registers, 8 x 2 + 3 of AVX-512's 32). Eight rows at most (see PanelTile).
#if HWY_TARGET == HWY_SCALAR || HWY_TARGET == HWY_EMU128
constexpr std::size_t kPanelRows = 4;
#elif HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL || HWY_ARCH_ARM_A64
constexpr std::size_t kPanelRows = 8;
#else
constexpr std::size_t kPanelRows = 6;
#endif
static_assert(kPanelRows <= kPanelRowsMax, "callers leave kPanelRowsMax rows of room past a part of C");
// Depth of a chunk: the tile's rows of A (kPanelRows x 2 KiB) stay in L1 while every panel of Bp's
// chunk (kc x n_pad, 64 KiB for n_pad = 32 floats) comes from L2.
constexpr std::size_t kPanelChunkBytes = 2 << 10;

#define CSC_PANEL_ROWS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)

// out (kPanelRows x kVectors vectors, row stride ldc) = (read_c ? out : 0) + A's rows a + r * lda over
// [0, kc) times Bp's rows b + p * b_step. `next` (or null): the next tile's rows, fetched a line per
// row for each line read. Rows are addressed as one of three base pointers (rows 0, 3, 6) plus 0, 1
// or 2 times lda: separate pointers per row outran x86's 16 general registers, and the compiler
// reloaded offsets from the stack for every value.
template <std::size_t kVectors, class D, class T = hn::TFromD<D>>
HWY_INLINE void PanelTile(D d, std::size_t kc, const T* HWY_RESTRICT a, std::size_t lda, const T* HWY_RESTRICT next,
                          const T* HWY_RESTRICT b, std::size_t b_step, T* HWY_RESTRICT c, std::size_t ldc,
                          bool read_c) {
  static_assert(kPanelRows <= 8, "CSC_PANEL_ROWS lists 8 rows");
  using V = hn::Vec<D>;
  const std::size_t N = hn::Lanes(d);
  constexpr std::size_t kLine = 64 / sizeof(T);
  const T* HWY_RESTRICT base0 = a;
  [[maybe_unused]] const T* HWY_RESTRICT base3 = kPanelRows > 3 ? a + 3 * lda : a;
  [[maybe_unused]] const T* HWY_RESTRICT base6 = kPanelRows > 6 ? a + 6 * lda : a;
#define CSC_PANEL_DECLARE(r) [[maybe_unused]] V c##r##_0 = hn::Zero(d), c##r##_1 = hn::Zero(d);
  CSC_PANEL_ROWS(CSC_PANEL_DECLARE)
#undef CSC_PANEL_DECLARE
  for (std::size_t p0 = 0; p0 < kc; p0 += kLine) {
    if (next != nullptr)
      for (std::size_t r = 0; r < kPanelRows; ++r) hwy::Prefetch(next + r * lda + p0);
    const std::size_t p1 = std::min(kc, p0 + kLine);
    for (std::size_t p = p0; p < p1; ++p) {
      const V b0 = hn::LoadU(d, b);
      [[maybe_unused]] const V b1 = kVectors == 2 ? hn::LoadU(d, b + N) : b0;
#define CSC_PANEL_ROW_VALUE(r) (r < 3 ? base0 : r < 6 ? base3 : base6)[(r % 3) * lda]
#define CSC_PANEL_FMA(r)                                                 \
  if constexpr (r < kPanelRows) {                                        \
    const V ar = hn::Set(d, CSC_PANEL_ROW_VALUE(r));                     \
    c##r##_0 = hn::MulAdd(ar, b0, c##r##_0);                              \
    if constexpr (kVectors == 2) c##r##_1 = hn::MulAdd(ar, b1, c##r##_1); \
  }
      CSC_PANEL_ROWS(CSC_PANEL_FMA)
#undef CSC_PANEL_FMA
#undef CSC_PANEL_ROW_VALUE
      ++base0;
      if constexpr (kPanelRows > 3) ++base3;
      if constexpr (kPanelRows > 6) ++base6;
      b += b_step;
    }
  }
  const TileOut<T> out{c, ldc, T(1), T(1), read_c};
#define CSC_PANEL_STORE(r) \
  if constexpr (r < kPanelRows) StoreRow<kVectors>(d, out, r, c##r##_0, c##r##_1);
  CSC_PANEL_ROWS(CSC_PANEL_STORE)
#undef CSC_PANEL_STORE
}
#undef CSC_PANEL_ROWS

// cp = A[i0, i0 + rows)[0, k) Bp (see skinny.h), chunk by chunk of k: every tile of rows on Bp's
// chunk, and every panel of Bp on a tile's rows while they are in L1; the first panel fetches the
// next tile's rows. A last tile of fewer rows is copied into `edge` with zero rows after them.
template <class D, class T = hn::TFromD<D>>
void RowsTimesPanels(D d, const T* HWY_RESTRICT a, std::size_t lda, std::size_t i0, std::size_t rows,
                     std::size_t k, const T* HWY_RESTRICT bp, std::size_t n_pad, T* HWY_RESTRICT cp) {
  const std::size_t N = hn::Lanes(d), NR = kNV * N;
  constexpr std::size_t kc = kPanelChunkBytes / sizeof(T);
  HWY_ALIGN T edge[kPanelRows * kc];
  for (std::size_t p0 = 0; p0 < k; p0 += kc) {
    const std::size_t depth = std::min(kc, k - p0);
    for (std::size_t i = 0; i < rows; i += kPanelRows) {
      const T* HWY_RESTRICT tile_a = a + (i0 + i) * lda + p0;
      std::size_t tile_lda = lda;
      if (i + kPanelRows > rows) {
        std::fill_n(edge, kPanelRows * kc, T(0));
        for (std::size_t r = 0; r < rows - i; ++r) std::copy_n(tile_a + r * lda, depth, edge + r * kc);
        tile_a = edge;
        tile_lda = kc;
      }
      const T* HWY_RESTRICT next = i + 2 * kPanelRows <= rows ? tile_a + kPanelRows * lda : nullptr;
      for (std::size_t j = 0; j < n_pad; j += NR) {
        T* HWY_RESTRICT c = cp + i * n_pad + j;
        const T* HWY_RESTRICT b = bp + p0 * n_pad + j;
        const T* HWY_RESTRICT fetch = j == 0 ? next : nullptr;
        if (j + NR <= n_pad)
          PanelTile<2>(d, depth, tile_a, tile_lda, fetch, b, n_pad, c, n_pad, p0 > 0);
        else
          PanelTile<1>(d, depth, tile_a, tile_lda, fetch, b, n_pad, c, n_pad, p0 > 0);
      }
    }
  }
}

template <class D, class T = hn::TFromD<D>>
void FinishRows(D d, const GemmProblem<T>& pr, std::size_t i0, std::size_t rows, const T* HWY_RESTRICT cp,
                std::size_t ldcp) {
  const std::size_t N = hn::Lanes(d);
  const auto alpha = hn::Set(d, pr.alpha), beta = hn::Set(d, pr.beta);
  for (std::size_t r = 0; r < rows; ++r) {
    T* HWY_RESTRICT crow = pr.c + (i0 + r) * pr.ldc;
    const T* HWY_RESTRICT prow = cp + r * ldcp;
    std::size_t j = 0;
    for (; j + N <= pr.n; j += N) {
      auto x = hn::Mul(alpha, hn::LoadU(d, prow + j));
      if (pr.beta != T(0)) x = hn::MulAdd(beta, hn::LoadU(d, crow + j), x);
      hn::StoreU(x, d, crow + j);
    }
    for (; j < pr.n; ++j) crow[j] = pr.beta == T(0) ? pr.alpha * prow[j] : pr.alpha * prow[j] + pr.beta * crow[j];
    if (pr.has_epilogue()) EpilogueRow(d, crow, pr.n, pr.bias, pr.activation);
  }
}

template <class D, class T = hn::TFromD<D>>
void EpilogueRows(D d, const GemmProblem<T>& pr, std::size_t i0, std::size_t rows) {
  for (std::size_t r = 0; r < rows; ++r) EpilogueRow(d, pr.c + (i0 + r) * pr.ldc, pr.n, pr.bias, pr.activation);
}

// The exported, non-template entry points (one set per target).
void OuterRowsF32(const float* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k, const float* bp,
                  std::size_t n_pad, float* cp, float* pack) {
  OuterRows(hn::ScalableTag<float>(), a, lda, i0, rows, k, bp, n_pad, cp, pack);
}
void OuterRowsF64(const double* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
                  const double* bp, std::size_t n_pad, double* cp, double* pack) {
  OuterRows(hn::ScalableTag<double>(), a, lda, i0, rows, k, bp, n_pad, cp, pack);
}
void DotRowsF32(const GemmProblem<float>& pr, std::size_t i0, std::size_t rows, const float* bt, std::size_t ldbt) {
  DotRows(hn::ScalableTag<float>(), pr, i0, rows, bt, ldbt);
}
void DotRowsF64(const GemmProblem<double>& pr, std::size_t i0, std::size_t rows, const double* bt,
                std::size_t ldbt) {
  DotRows(hn::ScalableTag<double>(), pr, i0, rows, bt, ldbt);
}
void RowsTimesPanelsF32(const float* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
                        const float* bp, std::size_t n_pad, float* cp) {
  RowsTimesPanels(hn::ScalableTag<float>(), a, lda, i0, rows, k, bp, n_pad, cp);
}
void RowsTimesPanelsF64(const double* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
                        const double* bp, std::size_t n_pad, double* cp) {
  RowsTimesPanels(hn::ScalableTag<double>(), a, lda, i0, rows, k, bp, n_pad, cp);
}
void FinishRowsF32(const GemmProblem<float>& pr, std::size_t i0, std::size_t rows, const float* cp,
                   std::size_t ldcp) {
  FinishRows(hn::ScalableTag<float>(), pr, i0, rows, cp, ldcp);
}
void FinishRowsF64(const GemmProblem<double>& pr, std::size_t i0, std::size_t rows, const double* cp,
                   std::size_t ldcp) {
  FinishRows(hn::ScalableTag<double>(), pr, i0, rows, cp, ldcp);
}
void EpilogueRowsF32(const GemmProblem<float>& pr, std::size_t i0, std::size_t rows) {
  EpilogueRows(hn::ScalableTag<float>(), pr, i0, rows);
}
void EpilogueRowsF64(const GemmProblem<double>& pr, std::size_t i0, std::size_t rows) {
  EpilogueRows(hn::ScalableTag<double>(), pr, i0, rows);
}

}  // namespace csc::linalg::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace csc::linalg::cpu {
HWY_EXPORT(OuterRowsF32);
HWY_EXPORT(OuterRowsF64);
HWY_EXPORT(DotRowsF32);
HWY_EXPORT(DotRowsF64);
HWY_EXPORT(RowsTimesPanelsF32);
HWY_EXPORT(RowsTimesPanelsF64);
HWY_EXPORT(FinishRowsF32);
HWY_EXPORT(FinishRowsF64);
HWY_EXPORT(EpilogueRowsF32);
HWY_EXPORT(EpilogueRowsF64);

void outer_rows(const float* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k, const float* bp,
                std::size_t n_pad, float* cp, float* pack) {
  HWY_DYNAMIC_DISPATCH(OuterRowsF32)(a, lda, i0, rows, k, bp, n_pad, cp, pack);
}
void outer_rows(const double* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
                const double* bp, std::size_t n_pad, double* cp, double* pack) {
  HWY_DYNAMIC_DISPATCH(OuterRowsF64)(a, lda, i0, rows, k, bp, n_pad, cp, pack);
}
void dot_rows(const GemmProblem<float>& pr, std::size_t i0, std::size_t rows, const float* bt, std::size_t ldbt) {
  HWY_DYNAMIC_DISPATCH(DotRowsF32)(pr, i0, rows, bt, ldbt);
}
void dot_rows(const GemmProblem<double>& pr, std::size_t i0, std::size_t rows, const double* bt,
              std::size_t ldbt) {
  HWY_DYNAMIC_DISPATCH(DotRowsF64)(pr, i0, rows, bt, ldbt);
}
void rows_times_panels(const float* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
                       const float* bp, std::size_t n_pad, float* cp) {
  HWY_DYNAMIC_DISPATCH(RowsTimesPanelsF32)(a, lda, i0, rows, k, bp, n_pad, cp);
}
void rows_times_panels(const double* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
                       const double* bp, std::size_t n_pad, double* cp) {
  HWY_DYNAMIC_DISPATCH(RowsTimesPanelsF64)(a, lda, i0, rows, k, bp, n_pad, cp);
}
void finish_rows(const GemmProblem<float>& pr, std::size_t i0, std::size_t rows, const float* cp, std::size_t ldcp) {
  HWY_DYNAMIC_DISPATCH(FinishRowsF32)(pr, i0, rows, cp, ldcp);
}
void finish_rows(const GemmProblem<double>& pr, std::size_t i0, std::size_t rows, const double* cp,
                 std::size_t ldcp) {
  HWY_DYNAMIC_DISPATCH(FinishRowsF64)(pr, i0, rows, cp, ldcp);
}
void epilogue_rows(const GemmProblem<float>& pr, std::size_t i0, std::size_t rows) {
  HWY_DYNAMIC_DISPATCH(EpilogueRowsF32)(pr, i0, rows);
}
void epilogue_rows(const GemmProblem<double>& pr, std::size_t i0, std::size_t rows) {
  HWY_DYNAMIC_DISPATCH(EpilogueRowsF64)(pr, i0, rows);
}

}  // namespace csc::linalg::cpu
#endif  // HWY_ONCE

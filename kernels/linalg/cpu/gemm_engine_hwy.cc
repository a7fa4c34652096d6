// The packed GEMM engine per SIMD target (the BLIS/GotoBLAS design): packing of A slivers and B
// panels, the register-tiled micro-kernel with its alpha/beta store and fused bias + activation, and
// the loop nest one thread runs over its region of C. gemm.cc and syrk.cc split the work and dispatch here.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/linalg/cpu/gemm_engine_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include <algorithm>
#include <cstddef>

#include <hwy/cache_control.h>

#include "kernels/linalg/cpu/gemm_engine.h"
#include "kernels/linalg/cpu/gemm_tile-inl.h"

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::cpu::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Packs rows [i0, i0 + mc) x columns [p0, p0 + kc) of op(A) into slivers of kMR rows: sliver s holds,
// for each p, the kMR values op(A)[i0 + s*kMR + r][p0 + p] (rows past mc are zero).
template <class D, class T = hn::TFromD<D>>
void PackA(D d, const GemmProblem<T>& pr, std::size_t i0, std::size_t mc, std::size_t p0, std::size_t kc,
           T* HWY_RESTRICT dst) {
  const std::size_t N = hn::Lanes(d);
  const std::size_t slivers = (mc + kMR - 1) / kMR;
  if (pr.op_a == Op::transpose) {
    // A is k x m: row p0 + p of the stored A holds column p of every sliver. Walking the stored rows
    // in order streams A from memory (the covariance case reads its data exactly once this way).
    const std::size_t vectors = (kMR + N - 1) / N;
    for (std::size_t p = 0; p < kc; ++p) {
      const T* HWY_RESTRICT src = pr.a + (p0 + p) * pr.lda + i0;
      for (std::size_t s = 0; s < slivers; ++s) {
        const std::size_t ir = s * kMR, mr = std::min(kMR, mc - ir);
        T* HWY_RESTRICT out = dst + s * kc * kMR + p * kMR;
        if (p + 1 < kc && i0 + ir + vectors * N <= pr.m) {
          // Whole vectors spill past the kMR values into slot p + 1, which is written next.
          for (std::size_t v = 0; v < vectors; ++v) hn::StoreU(hn::LoadU(d, src + ir + v * N), d, out + v * N);
        } else {
          for (std::size_t r = 0; r < kMR; ++r) out[r] = r < mr ? src[ir + r] : T(0);
        }
      }
    }
    return;
  }
  // A is m x k: gather one value from each of kMR rows (each row is read in order).
  for (std::size_t s = 0; s < slivers; ++s, dst += kc * kMR) {
    const std::size_t mr = std::min(kMR, mc - s * kMR);
    const T* HWY_RESTRICT src = pr.a + (i0 + s * kMR) * pr.lda + p0;
    if (mr == kMR) {
      for (std::size_t p = 0; p < kc; ++p)
        for (std::size_t r = 0; r < kMR; ++r) dst[p * kMR + r] = src[r * pr.lda + p];
    } else {
      for (std::size_t p = 0; p < kc; ++p)
        for (std::size_t r = 0; r < kMR; ++r) dst[p * kMR + r] = r < mr ? src[r * pr.lda + p] : T(0);
    }
  }
}

// Packs rows [p0, p0 + kc) x columns [j0, j0 + nc) of op(B) into panels of NR columns: panel s holds,
// for each p, the NR values op(B)[p0 + p][j0 + s*NR + j] (columns past nc are zero).
template <class D, class T = hn::TFromD<D>>
void PackB(D d, const GemmProblem<T>& pr, std::size_t p0, std::size_t kc, std::size_t j0, std::size_t nc,
           T* HWY_RESTRICT dst) {
  const std::size_t N = hn::Lanes(d);
  const std::size_t NR = kNV * N;
  const std::size_t panels = (nc + NR - 1) / NR;
  if (pr.op_b == Op::none) {
    // B is k x n: row p0 + p holds row p of every panel; stored rows are walked in order.
    for (std::size_t p = 0; p < kc; ++p) {
      const T* HWY_RESTRICT src = pr.b + (p0 + p) * pr.ldb + j0;
      for (std::size_t s = 0; s < panels; ++s) {
        const std::size_t jr = s * NR, nr = std::min(NR, nc - jr);
        T* HWY_RESTRICT out = dst + s * kc * NR + p * NR;
        if (nr == NR) {
          for (std::size_t v = 0; v < kNV; ++v) hn::Store(hn::LoadU(d, src + jr + v * N), d, out + v * N);
        } else {
          for (std::size_t j = 0; j < NR; ++j) out[j] = j < nr ? src[jr + j] : T(0);
        }
      }
    }
    return;
  }
  // B is n x k: gather one value from each of NR rows (each row is read in order).
  for (std::size_t s = 0; s < panels; ++s, dst += kc * NR) {
    const std::size_t nr = std::min(NR, nc - s * NR);
    const T* HWY_RESTRICT src = pr.b + (j0 + s * NR) * pr.ldb + p0;
    for (std::size_t p = 0; p < kc; ++p)
      for (std::size_t j = 0; j < NR; ++j) dst[p * NR + j] = j < nr ? src[j * pr.ldb + p] : T(0);
  }
}

// Whether the tile at (i, j) of size mv x nv has elements in the mask, and whether all of them are.
HWY_INLINE bool TileTouches(TileMask mask, std::size_t i, std::size_t j, std::size_t mv, std::size_t nv) {
  switch (mask) {
    case TileMask::lower:
      return i + mv - 1 >= j;
    case TileMask::upper:
      return j + nv - 1 >= i;
    case TileMask::all:
      break;
  }
  return true;
}
HWY_INLINE bool TileInside(TileMask mask, std::size_t i, std::size_t j, std::size_t mv, std::size_t nv) {
  switch (mask) {
    case TileMask::lower:
      return i >= j + nv - 1;
    case TileMask::upper:
      return j >= i + mv - 1;
    case TileMask::all:
      break;
  }
  return true;
}
HWY_INLINE bool InMask(TileMask mask, std::size_t i, std::size_t j) {
  return mask == TileMask::all || (mask == TileMask::lower ? i >= j : j >= i);
}

// A ragged or diagonal tile: the micro-kernel wrote the raw products (kMR x NR) to `tile`; merge the
// mv x nv part that lies in the mask into C at (i, j) with alpha/beta and, if asked, the epilogue.
template <class D, class T = hn::TFromD<D>>
HWY_NOINLINE void MergeEdgeTile(D d, const GemmProblem<T>& pr, const TileOut<T>& out, bool epilogue,
                                T* HWY_RESTRICT tile, std::size_t i, std::size_t j, std::size_t mv, std::size_t nv) {
  const std::size_t NR = kNV * hn::Lanes(d);
  for (std::size_t r = 0; r < mv; ++r) {
    T* HWY_RESTRICT crow = pr.c + (i + r) * pr.ldc + j;
    T* HWY_RESTRICT trow = tile + r * NR;
    for (std::size_t q = 0; q < nv; ++q) {
      T x = out.alpha * trow[q];
      if (out.read_c && InMask(pr.mask, i + r, j + q)) x += out.beta * crow[q];
      trow[q] = x;
    }
    if (epilogue) EpilogueRow(d, trow, nv, pr.bias ? pr.bias + j : nullptr, pr.activation);
    for (std::size_t q = 0; q < nv; ++q)
      if (InMask(pr.mask, i + r, j + q)) crow[q] = trow[q];
  }
}

// One thread's share of C: rows [i0, i1) x columns [j0, j1) of C += the k-slice [p0, p1) of the product
// (the first slice applies beta, the last one the epilogue). `buffers`: pack_stride(bk, sizeof(T)) elements.
template <class D, class T = hn::TFromD<D>>
void RunRegion(D d, const GemmProblem<T>& pr, const Region& rg, const Blocking& bk, T* HWY_RESTRICT buffers) {
  T* HWY_RESTRICT buf_a = buffers;
  T* HWY_RESTRICT buf_b = buffers + packed_a_elems(bk, sizeof(T));
  const std::size_t NR = kNV * hn::Lanes(d);
  HWY_ALIGN T tile[kMR * kMaxNR<T>];
  for (std::size_t ic = rg.i0; ic < rg.i1; ic += bk.mc) {
    const std::size_t mc = std::min(bk.mc, rg.i1 - ic);
    for (std::size_t pc = rg.p0; pc < rg.p1; pc += bk.kc) {
      const std::size_t kc = std::min(bk.kc, rg.p1 - pc);
      TileOut<T> out{nullptr, pr.ldc, pr.alpha, pc == rg.p0 ? pr.beta : T(1), pc != rg.p0 || pr.beta != T(0)};
      const bool epilogue = pc + kc == rg.p1 && pr.has_epilogue();
      const TileOut<T> raw{tile, NR, T(1), T(0), false};
      bool packed_a = false;
      for (std::size_t jc = rg.j0; jc < rg.j1; jc += bk.nc) {
        const std::size_t nc = std::min(bk.nc, rg.j1 - jc);
        if (!TileTouches(pr.mask, ic, jc, mc, nc)) continue;
        if (!packed_a) {
          PackA(d, pr, ic, mc, pc, kc, buf_a);
          packed_a = true;
        }
        PackB(d, pr, pc, kc, jc, nc, buf_b);
        for (std::size_t ir = 0; ir < mc; ir += kMR) {
          const std::size_t mv = std::min(kMR, mc - ir);
          const T* HWY_RESTRICT a_sliver = buf_a + ir * kc;
          for (std::size_t jr = 0; jr < nc; jr += NR) {
            const std::size_t nv = std::min(NR, nc - jr);
            const std::size_t i = ic + ir, j = jc + jr;
            if (!TileTouches(pr.mask, i, j, mv, nv)) continue;
            const T* HWY_RESTRICT b_panel = buf_b + jr * kc;
            // Whole tiles go straight to C; ragged or diagonal ones through the stack tile, unless C
            // is a padded scratch that takes whole tiles anywhere.
            const bool direct = pr.c_takes_whole_tiles || (mv == kMR && nv == NR && TileInside(pr.mask, i, j, mv, nv));
            out.c = pr.c + i * pr.ldc + j;
            MicroKernel(d, kc, a_sliver, kMR, b_panel, NR, direct ? out : raw);
            if (!direct) {
              MergeEdgeTile(d, pr, out, epilogue, tile, i, j, mv, nv);
            } else if (epilogue) {
              for (std::size_t r = 0; r < kMR; ++r)
                EpilogueRow(d, out.c + r * pr.ldc, NR, pr.bias ? pr.bias + j : nullptr, pr.activation);
            }
          }
        }
      }
    }
  }
}

// C += YᵀY over `rows` rows of Y (row-major, leading dimension ld) on every register tile of C that
// touches the lower triangle of the dim x dim Gram matrix, reading Y in place: tile (i, j) takes
// the kMR values of each row from column i as its A sliver and the NR values from column j as its B
// panel. The slivers end at row dim, so the first one starts up to kMR - 1 rows above row 0 (in the
// lower triangle the short top slivers cost one panel, a short bottom one would cost them all):
// Y's rows are read from column -shift on and C's storage row r is Gram row r - shift, with shift =
// round_up(dim, kMR) - dim. The caller pads (gram_rows_layout): a margin before Y, rows covering
// whole panels and vector-aligned, C with whole tiles everywhere.
template <class D, class T = hn::TFromD<D>>
void AccumulateGramRows(D d, const T* HWY_RESTRICT y, std::size_t rows, std::size_t dim, std::size_t ld,
                        T* HWY_RESTRICT c, std::size_t ldc, const char* next, std::size_t next_bytes) {
  const std::size_t N = hn::Lanes(d), NR = kNV * N;
  const std::size_t slivers = (dim + kMR - 1) / kMR;
  const std::size_t shift = slivers * kMR - dim;
  // The caller's next block is fetched into L2 in equal shares before each tile.
  constexpr std::size_t kLine = 64;
  std::size_t tiles = 0;
  for (std::size_t s = 0; s < slivers; ++s) tiles += ((s + 1) * kMR - shift + NR - 1) / NR;
  const std::size_t lines = (next_bytes + kLine - 1) / kLine;
  const std::size_t lines_per_tile = (lines + tiles - 1) / tiles;
  std::size_t fetched = 0;
  TileOut<T> out{nullptr, ldc, T(1), T(1), true};
  for (std::size_t s = 0; s < slivers; ++s) {
    const std::size_t end = (s + 1) * kMR - shift;  // one past the sliver's last Gram row
    for (std::size_t j = 0; j < end; j += NR) {
      for (const std::size_t stop = std::min(lines, fetched + lines_per_tile); fetched < stop; ++fetched)
        __builtin_prefetch(next + fetched * kLine, 0, 2);
      out.c = c + s * kMR * ldc + j;
      // A one-vector tile where that reaches the diagonal (d = 100 in floats: 15 % fewer products).
      if (end - j <= N)
        MicroKernel<1>(d, rows, y + s * kMR - shift, ld, y + j, ld, out);
      else
        MicroKernel(d, rows, y + s * kMR - shift, ld, y + j, ld, out);
    }
  }
}

// C = beta * C (C not read when beta == 0) then the epilogue: the whole product when alpha == 0 or
// k == 0, restricted to the mask's triangle.
template <class D, class T = hn::TFromD<D>>
void ScaleOnly(D d, const GemmProblem<T>& pr) {
  for (std::size_t i = 0; i < pr.m; ++i) {
    T* HWY_RESTRICT row = pr.c + i * pr.ldc;
    const std::size_t begin = pr.mask == TileMask::upper ? i : 0;
    const std::size_t end = pr.mask == TileMask::lower ? i + 1 : pr.n;
    for (std::size_t j = begin; j < end; ++j) row[j] = pr.beta == T(0) ? T(0) : pr.beta * row[j];
    if (pr.has_epilogue()) EpilogueRow(d, row, pr.n, pr.bias, pr.activation);
  }
}

// Products too small to repay packing: plain loops, then the epilogue.
template <class D, class T = hn::TFromD<D>>
void SmallGemm(D d, const GemmProblem<T>& pr) {
  for (std::size_t i = 0; i < pr.m; ++i) {
    T* HWY_RESTRICT row = pr.c + i * pr.ldc;
    for (std::size_t j = 0; j < pr.n; ++j) {
      T sum = 0;
      for (std::size_t p = 0; p < pr.k; ++p) {
        const T a = pr.op_a == Op::none ? pr.a[i * pr.lda + p] : pr.a[p * pr.lda + i];
        const T b = pr.op_b == Op::none ? pr.b[p * pr.ldb + j] : pr.b[j * pr.ldb + p];
        sum += a * b;
      }
      row[j] = pr.beta == T(0) ? pr.alpha * sum : pr.alpha * sum + pr.beta * row[j];
    }
    if (pr.has_epilogue()) EpilogueRow(d, row, pr.n, pr.bias, pr.activation);
  }
}

// The exported, non-template entry points (one set per target).
TileShape TileShapeF32() {
  const std::size_t lanes = hn::Lanes(hn::ScalableTag<float>());
  return {kMR, kNV * lanes, lanes};
}
TileShape TileShapeF64() {
  const std::size_t lanes = hn::Lanes(hn::ScalableTag<double>());
  return {kMR, kNV * lanes, lanes};
}
void RunRegionF32(const GemmProblem<float>& pr, const Region& rg, const Blocking& bk, float* buffers) {
  RunRegion(hn::ScalableTag<float>(), pr, rg, bk, buffers);
}
void RunRegionF64(const GemmProblem<double>& pr, const Region& rg, const Blocking& bk, double* buffers) {
  RunRegion(hn::ScalableTag<double>(), pr, rg, bk, buffers);
}
void ScaleOnlyF32(const GemmProblem<float>& pr) { ScaleOnly(hn::ScalableTag<float>(), pr); }
void ScaleOnlyF64(const GemmProblem<double>& pr) { ScaleOnly(hn::ScalableTag<double>(), pr); }
void SmallGemmF32(const GemmProblem<float>& pr) { SmallGemm(hn::ScalableTag<float>(), pr); }
void SmallGemmF64(const GemmProblem<double>& pr) { SmallGemm(hn::ScalableTag<double>(), pr); }
void AccumulateGramRowsF32(const float* y, std::size_t rows, std::size_t dim, std::size_t ld, float* c,
                           std::size_t ldc, const char* next, std::size_t next_bytes) {
  AccumulateGramRows(hn::ScalableTag<float>(), y, rows, dim, ld, c, ldc, next, next_bytes);
}
void AccumulateGramRowsF64(const double* y, std::size_t rows, std::size_t dim, std::size_t ld, double* c,
                           std::size_t ldc, const char* next, std::size_t next_bytes) {
  AccumulateGramRows(hn::ScalableTag<double>(), y, rows, dim, ld, c, ldc, next, next_bytes);
}

}  // namespace csc::linalg::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace csc::linalg::cpu {
HWY_EXPORT(TileShapeF32);
HWY_EXPORT(TileShapeF64);
HWY_EXPORT(RunRegionF32);
HWY_EXPORT(RunRegionF64);
HWY_EXPORT(ScaleOnlyF32);
HWY_EXPORT(ScaleOnlyF64);
HWY_EXPORT(SmallGemmF32);
HWY_EXPORT(SmallGemmF64);
HWY_EXPORT(AccumulateGramRowsF32);
HWY_EXPORT(AccumulateGramRowsF64);

template <>
TileShape tile_shape<float>() { return HWY_DYNAMIC_DISPATCH(TileShapeF32)(); }
template <>
TileShape tile_shape<double>() { return HWY_DYNAMIC_DISPATCH(TileShapeF64)(); }
void run_region(const GemmProblem<float>& pr, const Region& rg, const Blocking& bk, float* buffers) {
  HWY_DYNAMIC_DISPATCH(RunRegionF32)(pr, rg, bk, buffers);
}
void run_region(const GemmProblem<double>& pr, const Region& rg, const Blocking& bk, double* buffers) {
  HWY_DYNAMIC_DISPATCH(RunRegionF64)(pr, rg, bk, buffers);
}
void scale_only(const GemmProblem<float>& pr) { HWY_DYNAMIC_DISPATCH(ScaleOnlyF32)(pr); }
void scale_only(const GemmProblem<double>& pr) { HWY_DYNAMIC_DISPATCH(ScaleOnlyF64)(pr); }
void small_gemm(const GemmProblem<float>& pr) { HWY_DYNAMIC_DISPATCH(SmallGemmF32)(pr); }
void small_gemm(const GemmProblem<double>& pr) { HWY_DYNAMIC_DISPATCH(SmallGemmF64)(pr); }
void accumulate_gram_rows(const float* y, std::size_t rows, std::size_t dim, std::size_t ld, float* c,
                          std::size_t ldc, const char* next, std::size_t next_bytes) {
  HWY_DYNAMIC_DISPATCH(AccumulateGramRowsF32)(y, rows, dim, ld, c, ldc, next, next_bytes);
}
void accumulate_gram_rows(const double* y, std::size_t rows, std::size_t dim, std::size_t ld, double* c,
                          std::size_t ldc, const char* next, std::size_t next_bytes) {
  HWY_DYNAMIC_DISPATCH(AccumulateGramRowsF64)(y, rows, dim, ld, c, ldc, next, next_bytes);
}

}  // namespace csc::linalg::cpu
#endif  // HWY_ONCE

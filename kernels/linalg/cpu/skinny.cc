// skinny_gemm: which products take the skinny path, B's one-time packing and the split of C's rows.
#include "kernels/linalg/cpu/skinny.h"

#include <omp.h>

#include <algorithm>

#include "kernels/linalg/cpu/gemm_engine.h"

namespace csc::linalg::cpu {
namespace {

// Elements of A below which packing it costs too little to matter (a few cache blocks).
constexpr double kMinElementsOfA = 1 << 16;
constexpr std::size_t kMinDepth = 64;
constexpr std::size_t kMinRowsToPackBt = 256;

std::size_t round_up(std::size_t v, std::size_t unit) { return (v + unit - 1) / unit * unit; }

// Bp = op(B) as k rows of n_pad values, zero past n. B stored transposed is read in runs of kRun
// along its rows (one value per row and step took 1.5 ms for 20000 x 30 doubles, as long as the
// product of 30 rows of A with them).
template <class T>
void pack_b(const GemmProblem<T>& pr, std::size_t n_pad, T* bp) {
  constexpr std::size_t kRun = 64;
  for (std::size_t p0 = 0; p0 < pr.k; p0 += kRun) {
    const std::size_t p1 = std::min(pr.k, p0 + kRun);
    if (pr.op_b == Op::transpose) {
      for (std::size_t j = 0; j < pr.n; ++j) {
        const T* const column = pr.b + j * pr.ldb;
        for (std::size_t p = p0; p < p1; ++p) bp[p * n_pad + j] = column[p];
      }
    } else {
      for (std::size_t p = p0; p < p1; ++p) std::copy_n(pr.b + p * pr.ldb, pr.n, bp + p * n_pad);
    }
    for (std::size_t p = p0; p < p1; ++p) std::fill(bp + p * n_pad + pr.n, bp + (p + 1) * n_pad, T(0));
  }
}

template <class T>
void skinny_impl(const GemmProblem<T>& pr) {
  const TileShape tile = tile_shape<T>();  // also settles the dispatch before threads start
  const double flops = 2.0 * static_cast<double>(pr.m) * static_cast<double>(pr.n) * static_cast<double>(pr.k);
  const int threads = threads_for(flops);
  const auto parts = static_cast<std::size_t>(threads);  // C's rows in parts; a smaller team takes several
  constexpr std::size_t kAlign = 64 / sizeof(T);  // elements per 64 bytes

  if (pr.op_a == Op::transpose) {
    // Bp = op(B) as k x n_pad rows, zero-padded. Parts split C's rows when there are enough tiles of
    // them; otherwise (C has few rows, as yᵀy of a tall block) they split k, each summing a whole
    // padded C of its own, and the sums are added in part order.
    const std::size_t n_pad = round_up(pr.n, tile.nr);
    const std::size_t units = (pr.m + tile.mr - 1) / tile.mr;
    const bool split_k = units < 2 * parts;
    const std::size_t part_rows = split_k ? units * tile.mr : (units + parts - 1) / parts * tile.mr;
    const std::size_t bp_elems = round_up(pr.k * n_pad, kAlign), cp_elems = round_up(part_rows * n_pad, kAlign);
    const std::size_t pack_elems =
        round_up(std::min(pr.k, outer_rows_depth(n_pad, sizeof(T))) * outer_rows_width(tile.mr), kAlign);
    T* const bp = static_cast<T*>(scratch((bp_elems + parts * (cp_elems + pack_elems)) * sizeof(T)));
    const auto cp_of = [&](std::size_t part) { return bp + bp_elems + part * (cp_elems + pack_elems); };
    pack_b(pr, n_pad, bp);
#pragma omp parallel num_threads(threads)
    for (std::size_t part = static_cast<std::size_t>(omp_get_thread_num()); part < parts;
         part += static_cast<std::size_t>(omp_get_num_threads())) {
      T* const cp = cp_of(part);
      if (split_k) {
        std::size_t p0 = 0, p1 = 0;
        split_range(pr.k, 1, parts, part, &p0, &p1);
        if (p0 < p1)
          outer_rows(pr.a + p0 * pr.lda, pr.lda, 0, pr.m, p1 - p0, bp + p0 * n_pad, n_pad, cp, cp + cp_elems);
        else
          std::fill_n(cp, cp_elems, T(0));
        continue;
      }
      std::size_t i0 = 0, i1 = 0;
      split_range(pr.m, tile.mr, parts, part, &i0, &i1);
      if (i0 == i1) continue;
      outer_rows(pr.a, pr.lda, i0, i1 - i0, pr.k, bp, n_pad, cp, cp + cp_elems);
      finish_rows(pr, i0, i1 - i0, cp, n_pad);
    }
    if (split_k) {
      T* const sum = cp_of(0);
      for (std::size_t part = 1; part < parts; ++part)
        for (std::size_t e = 0; e < pr.m * n_pad; ++e) sum[e] += cp_of(part)[e];
      finish_rows(pr, 0, pr.m, sum, n_pad);
    }
    return;
  }

  // A·op(B) as dot products of A's rows with Bt = op(B)ᵀ (n x k), which is B itself when B is stored
  // transposed, else a copy: for a C of at most half a vector's width (a matrix-vector product, say),
  // where a Bp padded to a whole vector would waste most of every multiply (n = 1: 25 against 14.5
  // GFLOP/s, 2000 x 20000 floats on AVX2), and for few rows of A against a B stored transposed, where
  // transposing B into Bp costs about as much as the product (m = 30, n = 30, k = 20000 doubles: 0.57
  // against 1.09 ms; even at m = 240).
  if (2 * pr.n <= tile.lanes || (pr.op_b == Op::transpose && pr.m < kMinRowsToPackBt)) {
    const T* bt = pr.b;
    std::size_t ldbt = pr.ldb;
    if (pr.op_b != Op::transpose) {
      ldbt = round_up(pr.k, kAlign);
      T* const copy = static_cast<T*>(scratch(pr.n * ldbt * sizeof(T)));
      for (std::size_t p = 0; p < pr.k; ++p)
        for (std::size_t j = 0; j < pr.n; ++j) copy[j * ldbt + p] = pr.b[p * pr.ldb + j];
      bt = copy;
    }
#pragma omp parallel num_threads(threads)
    for (std::size_t part = static_cast<std::size_t>(omp_get_thread_num()); part < parts;
         part += static_cast<std::size_t>(omp_get_num_threads())) {
      const std::size_t i0 = pr.m * part / parts, i1 = pr.m * (part + 1) / parts;
      if (i0 == i1) continue;
      dot_rows(pr, i0, i1 - i0, bt, ldbt);
      if (pr.has_epilogue()) epilogue_rows(pr, i0, i1 - i0);
    }
    return;
  }

  // Otherwise each part's rows of A against Bp (k x n_pad, n_pad whole vectors), into a padded C of
  // its own: on 2000 x 20000 floats, n = 30, 122 → 157 GFLOP/s against the dot products (AVX2).
  const std::size_t n_pad = round_up(pr.n, tile.lanes);
  const std::size_t bp_elems = round_up(pr.k * n_pad, kAlign);
  const std::size_t cp_elems = round_up(((pr.m + parts - 1) / parts + kPanelRowsMax) * n_pad, kAlign);
  T* const bp = static_cast<T*>(scratch((bp_elems + parts * cp_elems) * sizeof(T)));
  pack_b(pr, n_pad, bp);
#pragma omp parallel num_threads(threads)
  for (std::size_t part = static_cast<std::size_t>(omp_get_thread_num()); part < parts;
       part += static_cast<std::size_t>(omp_get_num_threads())) {
    const std::size_t i0 = pr.m * part / parts, i1 = pr.m * (part + 1) / parts;
    if (i0 == i1) continue;
    T* const cp = bp + bp_elems + part * cp_elems;
    rows_times_panels(pr.a, pr.lda, i0, i1 - i0, pr.k, bp, n_pad, cp);
    finish_rows(pr, i0, i1 - i0, cp, n_pad);
  }
}

}  // namespace

template <class T>
bool skinny_suits(const GemmProblem<T>& pr) {
  return pr.mask == TileMask::all && pr.n <= kSkinnyMaxCols && pr.k >= kMinDepth &&
         static_cast<double>(pr.m) * static_cast<double>(pr.k) >= kMinElementsOfA;
}
template bool skinny_suits(const GemmProblem<float>&);
template bool skinny_suits(const GemmProblem<double>&);

void skinny_gemm(const GemmProblem<float>& pr) { skinny_impl(pr); }
void skinny_gemm(const GemmProblem<double>& pr) { skinny_impl(pr); }

}  // namespace csc::linalg::cpu

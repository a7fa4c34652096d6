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

std::size_t round_up(std::size_t v, std::size_t unit) { return (v + unit - 1) / unit * unit; }

template <class T>
void skinny_impl(const GemmProblem<T>& pr) {
  const TileShape tile = tile_shape<T>();  // also settles the dispatch before threads start
  const double flops = 2.0 * static_cast<double>(pr.m) * static_cast<double>(pr.n) * static_cast<double>(pr.k);
  const int threads = threads_for(flops);
  const auto parts = static_cast<std::size_t>(threads);  // C's rows in parts; a smaller team takes several
  const bool b_transposed = pr.op_b == Op::transpose;
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
    for (std::size_t p = 0; p < pr.k; ++p) {
      T* const row = bp + p * n_pad;
      if (b_transposed)
        for (std::size_t j = 0; j < pr.n; ++j) row[j] = pr.b[j * pr.ldb + p];
      else
        std::copy_n(pr.b + p * pr.ldb, pr.n, row);
      std::fill(row + pr.n, row + n_pad, T(0));
    }
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

  // A·Btᵀ: Bt = op(B)ᵀ (n x k) is B itself when B is stored transposed, else a copy.
  const T* bt = pr.b;
  std::size_t ldbt = pr.ldb;
  if (!b_transposed) {
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

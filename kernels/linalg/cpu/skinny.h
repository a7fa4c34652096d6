// Products with a skinny result, C (m x n) with n <= kSkinnyMaxCols and a long k: X·Ω and Xᵀ·Q of
// the randomized range finder, the scores X·Vᵀ of PCA. The packed engine copies all of A into packed
// slivers for them, and each sliver then meets a single panel of B, so the copy costs as much as the
// product; these kernels read A where it lies. gemm() routes here (see skinny_suits).
#pragma once

#include <algorithm>
#include <cstddef>

#include "kernels/linalg/cpu/gemm_plan.h"

namespace csc::linalg::cpu {

constexpr std::size_t kSkinnyMaxCols = 64;

// Whether pr (a plain GEMM, not a SYRK triangle) has a skinny result and enough of A to repay it.
template <class T>
bool skinny_suits(const GemmProblem<T>& pr);

// The whole product, threads splitting the rows of C. op(A) = Aᵀ (A stored k x m, rows of A are the
// observations: Xᵀ·Q) runs the GEMM micro-kernel over A's rows in place against B packed once; op(A)
// = A (A stored m x k: X·Ω, X·Vᵀ) broadcasts A's values where they lie against B packed once, or, for
// a C narrower than half a vector or few rows against a B stored transposed, takes dot products along
// A's rows against the columns of op(B) stored as rows.
void skinny_gemm(const GemmProblem<float>& pr);
void skinny_gemm(const GemmProblem<double>& pr);

// Aᵀ·B in chunks of outer_rows_depth rows of A (the chunk of Bp, depth x n_pad, stays in L1: half of
// it) and blocks of outer_rows_width columns, each packed into `pack` (depth x width elements) on the
// way. 16 KiB and 128 columns against 32 KiB and 256: 92 → 111 GFLOP/s on Xᵀ·Q, X 2000 x 20000 floats,
// Q 30 columns (Zen 3 VM, AVX2).
inline std::size_t outer_rows_depth(std::size_t n_pad, std::size_t elem) {
  return std::max<std::size_t>((std::size_t{16} << 10) / (n_pad * elem), 16);
}
inline std::size_t outer_rows_width(std::size_t mr) { return (128 + mr - 1) / mr * mr; }

// Per-target kernels (skinny_hwy.cc); one thread each.
// cp (rows rounded up to the tile's mr, x n_pad; 64-byte aligned) = A[0..k)[i0..i0 + rows)ᵀ Bp, Bp
// being k x n_pad (n_pad a multiple of the tile's nr, 64-byte aligned).
void outer_rows(const float* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k, const float* bp,
                std::size_t n_pad, float* cp, float* pack);
void outer_rows(const double* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
                const double* bp, std::size_t n_pad, double* cp, double* pack);
// cp (rows + kPanelRowsMax rows x n_pad; 64-byte aligned) = A[i0, i0 + rows)[0, k) Bp for A stored
// m x k, Bp being k x n_pad (n_pad a multiple of the vector length).
constexpr std::size_t kPanelRowsMax = 8;
void rows_times_panels(const float* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
                       const float* bp, std::size_t n_pad, float* cp);
void rows_times_panels(const double* a, std::size_t lda, std::size_t i0, std::size_t rows, std::size_t k,
                       const double* bp, std::size_t n_pad, double* cp);
// Rows [i0, i0 + rows) of C = alpha A Btᵀ + beta C (C not read when beta == 0), Bt being n x k (ldbt).
void dot_rows(const GemmProblem<float>& pr, std::size_t i0, std::size_t rows, const float* bt, std::size_t ldbt);
void dot_rows(const GemmProblem<double>& pr, std::size_t i0, std::size_t rows, const double* bt,
              std::size_t ldbt);
// Rows [i0, i0 + rows) of C = alpha cp + beta C, then the epilogue; cp has leading dimension ldcp.
void finish_rows(const GemmProblem<float>& pr, std::size_t i0, std::size_t rows, const float* cp, std::size_t ldcp);
void finish_rows(const GemmProblem<double>& pr, std::size_t i0, std::size_t rows, const double* cp,
                 std::size_t ldcp);
// The epilogue alone over rows [i0, i0 + rows) of C (after dot_rows).
void epilogue_rows(const GemmProblem<float>& pr, std::size_t i0, std::size_t rows);
void epilogue_rows(const GemmProblem<double>& pr, std::size_t i0, std::size_t rows);

}  // namespace csc::linalg::cpu

// Truncated SVD by randomized block Krylov iteration (Musco & Musco 2015, Algorithm 2, with every
// block orthonormalised as it is made), stopping as soon as the leading Ritz values settle.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/linalg/randomized_range.h"

namespace csc::linalg {

template <class T>
struct KrylovSvd {
  TruncatedSvd<T> svd;          // A ~ U diag(S) Vt, as randomized_svd returns it (same sign rule)
  std::size_t depth = 0;        // blocks A(AᵀA)^i Ω for i = 0..depth span the subspace
  std::size_t products = 0;     // products with A or Aᵀ, each with a block of b vectors
  bool converged = false;       // the last block moved no leading Ritz value by more than tolerance,
                                // or the subspace filled all m dimensions
};

// The k leading singular triplets of the row-major m x n matrix A (lda >= n). With b = k + oversample
// (at most min(m, n)) Gaussian columns Ω drawn as randomized_range draws them (same seed, same Ω), the
// subspace of the m side grows by one block per step: Y_0 = orth(A Ω), Y_{i+1} = orth(A Aᵀ Y_i)
// made orthogonal to every earlier block (block Gram-Schmidt twice, CholQR2 within the block). After
// each block Z_i = Aᵀ Y_i, the Ritz values of A Aᵀ on Q = [Y_0 .. Y_i] are the eigenvalues of ZᵀZ
// (Z = [Z_0 .. Z_i] = AᵀQ, so that needs no further product with A); the iteration stops when no
// leading k of them moved by more than `tolerance` relative to itself, or at depth max_depth (also
// bounded by b (depth + 1) <= m). Then U = Q W, S² the Ritz values and V = Z W / S with W the Ritz
// vectors: |Aᵀu - s v| is zero by construction. A zero singular value gets a zero row in Vt.
// A Krylov subspace of depth q holds the randomized range finder's subspace with q power iterations
// and converges much faster where the spectrum decays slowly: with the same 2q + 2 products it is
// typically several orders more accurate. Products with A run in T, everything else in double; the
// blocks take (m + n)·b·(max_depth + 1) doubles.
// Throws std::invalid_argument on k == 0, k > min(m, n), lda < n or a null A.
KrylovSvd<float> block_krylov_svd(const float* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                  std::size_t oversample, std::size_t max_depth, double tolerance,
                                  std::uint64_t seed);
KrylovSvd<double> block_krylov_svd(const double* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                   std::size_t oversample, std::size_t max_depth, double tolerance,
                                   std::uint64_t seed);

}  // namespace csc::linalg

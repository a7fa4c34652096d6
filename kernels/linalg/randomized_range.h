// Randomized range finder and truncated SVD (Halko, Martinsson & Tropp 2011, Algorithms 4.4 and 5.1)
// built from csc's GEMM and Eigen's Householder QR / Jacobi SVD on the small projected matrices.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/linalg/orthonormal.h"

namespace csc::linalg {

// Q (m x l, orthonormal columns, l = min(k + oversample, m, n)) whose span approximates the range of
// the row-major m x n matrix A (lda >= n): Y = A Omega with a Gaussian n x l Omega, then
// `power_iterations` rounds of Q = qr(A qr(A^T Q)), re-orthonormalising at every step so the small
// singular directions are not lost to rounding. With s_1 >= s_2 >= ... the singular values of A,
// ||A - Q Q^T A|| is close to s_{k+1} for a modest oversample (10) and one or two iterations.
// The same seed gives the same Q (linalg::fill_gaussian: std::mt19937_64 and Marsaglia's polar
// method, both fully specified, so the stream depends neither on the standard library nor on the
// thread count).
// Throws std::invalid_argument on k == 0, k > min(m, n), lda < n or a null A.
RowMatrix<float> randomized_range(const float* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                  std::size_t oversample, std::size_t power_iterations, std::uint64_t seed);
RowMatrix<double> randomized_range(const double* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                   std::size_t oversample, std::size_t power_iterations, std::uint64_t seed);

// A ~ U diag(S) Vt with U m x k, S descending (k), Vt k x n, from B = Q^T A (l x n) and Eigen's
// JacobiSVD of B. Signs are fixed as scikit-learn's svd_flip(u_based_decision=True) fixes them: the
// largest-magnitude entry of each column of U is positive. Same arguments and errors as
// randomized_range.
template <class T>
struct TruncatedSvd {
  RowMatrix<T> u;
  Vector<T> s;
  RowMatrix<T> vt;
};
TruncatedSvd<float> randomized_svd(const float* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                   std::size_t oversample, std::size_t power_iterations, std::uint64_t seed);
TruncatedSvd<double> randomized_svd(const double* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                    std::size_t oversample, std::size_t power_iterations, std::uint64_t seed);

}  // namespace csc::linalg

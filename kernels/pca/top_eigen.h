// The largest eigenpairs of a symmetric positive semi-definite matrix (a Gram or covariance matrix):
// a dense solver for small matrices, block subspace iteration on our GEMM for large ones.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace csc::pca {

struct EigenPairs {
  std::vector<double> values;   // k, descending (tiny negative rounding values are kept as computed)
  std::vector<double> vectors;  // k x dim, row-major: row i is the unit eigenvector of values[i]
  std::string method;           // "dense" or "subspace iteration (N iterations)"
};

// The k largest eigenpairs of the dim×dim symmetric matrix m (row-major, both triangles filled).
// Dense when dim is small or k is a large part of dim: Eigen's tridiagonalisation (4/3 dim^3 flops at
// SSE2 speed), then bisection for the k eigenvalues and inverse iteration for their vectors. Otherwise
// block subspace iteration with Rayleigh–Ritz (Rutishauser; Saad, Numerical Methods for Large
// Eigenvalue Problems, ch. 5) on a block of l = min(dim, max(2k, k + 16)) vectors until every wanted
// residual |M x - θ x| is below tolerance · θ_1; when the gap after the k-th eigenvalue is small (a flat
// noise floor) that can take hundreds of iterations, so once the iterations have cost about what the
// dense solver would, the dense solver finishes the job.
// Throws std::invalid_argument on k == 0 or k > dim.
// The eigenvalues are then good to about (tolerance · θ_1)² / gap and the vectors to tolerance · θ_1 /
// gap; the default suits a matrix known to full double precision, a looser one (1e-9) a Gram matrix
// of float32 data, whose own entries are good to ~1e-7.
EigenPairs top_eigenpairs(const double* m, std::size_t dim, std::size_t k, std::uint64_t seed,
                          double tolerance = 1e-12);

}  // namespace csc::pca

// The largest eigenpairs of a symmetric tridiagonal matrix: eigenvalues by bisection (LAPACK's
// dstebz), eigenvectors by inverse iteration (dstein). The dense eigensolver needs only the K pairs it
// keeps, which costs O(K dim) here instead of O(dim^2) for every value and O(dim^3) for every vector.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace csc::pca {

// The k largest eigenvalues of the symmetric tridiagonal T (diag: n entries, off: n - 1), descending,
// by bisection on Sturm counts: O(k n) per bit, accurate to 2 eps max |λ|.
// Throws std::invalid_argument on sizes that do not match or k > n.
std::vector<double> tridiagonal_top_eigenvalues(const std::vector<double>& diag, const std::vector<double>& off,
                                                std::size_t k);

// diag: the n diagonal entries; off: the n - 1 off-diagonal ones; values: eigenvalues of that matrix
// (accurate to rounding, as from a QR sweep), in descending order. Returns values.size() rows of n:
// unit eigenvectors, orthogonalised within clusters of close eigenvalues (gap <= 1e-3 |T|), where
// single vectors are ill-determined but their span is not. Start vectors are random (seeded).
// Throws std::invalid_argument on sizes that do not match, std::runtime_error if the iteration
// overflows again and again (the caller then falls back to a full eigensolver).
std::vector<double> tridiagonal_eigenvectors(const std::vector<double>& diag, const std::vector<double>& off,
                                             const std::vector<double>& values, std::uint64_t seed);

}  // namespace csc::pca

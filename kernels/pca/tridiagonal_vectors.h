// Eigenvectors of a symmetric tridiagonal matrix for given eigenvalues, by inverse iteration (the
// method of LAPACK's dstein): the dense eigensolver finds all eigenvalues cheaply and needs vectors
// for only the K it keeps, which costs O(K dim) here instead of O(dim^3) for all of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace csc::pca {

// diag: the n diagonal entries; off: the n - 1 off-diagonal ones; values: eigenvalues of that matrix
// (accurate to rounding, as from a QR sweep), in descending order. Returns values.size() rows of n:
// unit eigenvectors, orthogonalised within clusters of close eigenvalues (gap <= 1e-3 |T|), where
// single vectors are ill-determined but their span is not. Start vectors are random (seeded).
// Throws std::invalid_argument on sizes that do not match, std::runtime_error if the iteration
// overflows again and again (the caller then falls back to a full eigensolver).
std::vector<double> tridiagonal_eigenvectors(const std::vector<double>& diag, const std::vector<double>& off,
                                             const std::vector<double>& values, std::uint64_t seed);

}  // namespace csc::pca

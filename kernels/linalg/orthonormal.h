// Orthonormal bases of tall blocks of vectors (subspace iteration, the randomized range finder), and
// the row-major Eigen matrix type the block solvers share.
#pragma once

#include <Eigen/Core>

namespace csc::linalg {

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

// Replaces the columns of y (rows x cols, rows >= cols) by an orthonormal basis of their span, in
// the same order (column j spans what columns 0..j did). Cholesky QR twice (CholQR2: Yamamoto et al.
// 2015), each factor taken with the columns scaled to unit norm: two products with y per pass on our
// GEMM instead of a Householder sweep, orthonormal to rounding while the column-scaled y has a
// condition number below ~1e7.
// Beyond that (a rank-deficient or nearly dependent block) the Cholesky factor fails or the second
// pass finds the first one far from orthonormal, and Householder QR does the job instead; columns
// that are zero get unit vectors orthogonal to the rest from it.
void orthonormalize_columns(RowMatrix<double>& y);
// The same with the product between passes kept in `workspace` (resized to y's shape; its storage
// may end up swapped with y's). Loops that orthonormalize blocks of one shape pass the same two
// matrices each time: a fresh multi-megabyte block costs a page fault per 4 KiB when first written
// (pca's randomized fit of 2000 x 20000 took 19,472 minor faults with fresh blocks, 5,018 without).
void orthonormalize_columns(RowMatrix<double>& y, RowMatrix<double>& workspace);

}  // namespace csc::linalg

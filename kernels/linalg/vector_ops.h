// BLAS level-1/2 kernels, float32 and float64: dot, axpy, scal, nrm2, asum and gemv (Highway + OpenMP).
#pragma once

#include <cstddef>

#include "kernels/linalg/gemm.h"  // Op

namespace csc::linalg {

// Contiguous vectors of n elements. Reductions (dot, nrm2, asum) sum fixed blocks in a fixed order,
// so their result does not depend on the thread count (it does, in the last bits, on the SIMD target).

// sum x[i] * y[i]; 0 for n == 0.
float dot(std::size_t n, const float* x, const float* y);
double dot(std::size_t n, const double* x, const double* y);

// y += a * x. x and y must not overlap.
void axpy(std::size_t n, float a, const float* x, float* y);
void axpy(std::size_t n, double a, const double* x, double* y);

// x *= a (IEEE: a == 0 keeps NaN and turns inf into NaN, as reference BLAS does).
void scal(std::size_t n, float a, float* x);
void scal(std::size_t n, double a, double* x);

// sqrt(sum x[i]^2) without overflow or underflow in the squares: values are scaled by a power of two
// near 1 / max|x[i]| (exact), as LAPACK's dnrm2 scales. NaN if any element is NaN, else +inf if any
// is infinite.
float nrm2(std::size_t n, const float* x);
double nrm2(std::size_t n, const double* x);

// sum |x[i]|.
float asum(std::size_t n, const float* x);
double asum(std::size_t n, const double* x);

// y = alpha * op(A) * x + beta * y with A m x n, row-major, lda >= n. Op::none: x has n elements and y
// has m; Op::transpose: x has m and y has n. beta == 0: y is not read (NaN in y is ignored);
// alpha == 0: A and x are not read. y must not overlap A or x. Throws std::invalid_argument on
// lda < n or a null pointer for a non-empty operand.
void gemv(Op op, std::size_t m, std::size_t n, float alpha, const float* a, std::size_t lda, const float* x,
          float beta, float* y);
void gemv(Op op, std::size_t m, std::size_t n, double alpha, const double* a, std::size_t lda,
          const double* x, double beta, double* y);

}  // namespace csc::linalg

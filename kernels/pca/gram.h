// Gram matrices of centred data, in double: AAᵀ (n×n) for the Gram trick with d ≫ n, whose
// eigenvectors u give the principal axes as Aᵀu / s, and AᵀA (d×d) formed on a CUDA device.
#pragma once

#include <cstddef>
#include <vector>

namespace csc::linalg {
class CudaLinalg;
}

namespace csc::pca {

// The full symmetric n×n matrix AAᵀ of the row-major n×d matrix a (leading dimension lda), in
// double, computed with a SYRK on one triangle: our CPU kernel, or cuBLAS on `device` when given.
// Float input is summed in float over slices of at most 8192 columns and the slices are added in
// double, so the rounding error does not grow with d. On a device, slices also keep each copy of A
// under 256 MiB.
std::vector<double> samples_gram(const float* a, std::size_t n, std::size_t d, std::size_t lda,
                                 const linalg::CudaLinalg* device = nullptr);
std::vector<double> samples_gram(const double* a, std::size_t n, std::size_t d, std::size_t lda,
                                 const linalg::CudaLinalg* device = nullptr);

// The full symmetric d×d matrix AᵀA on `device` (cuBLAS SYRK over slices of rows: at least 8192 or d
// rows per slice for float, each slice under 256 MiB, slices added in double). The CPU forms AᵀA with
// column_scatter, which also takes the column statistics in the same read.
std::vector<double> features_gram(const float* a, std::size_t n, std::size_t d, std::size_t lda,
                                  const linalg::CudaLinalg& device);
std::vector<double> features_gram(const double* a, std::size_t n, std::size_t d, std::size_t lda,
                                  const linalg::CudaLinalg& device);

}  // namespace csc::pca

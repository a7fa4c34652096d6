// The Gram matrix of the samples, AAᵀ (n×n), of centred data with d ≫ n: the Gram trick, whose
// eigenvectors u give the principal axes as Aᵀu / s.
#pragma once

#include <cstddef>
#include <vector>

namespace csc::pca {

// The full symmetric n×n matrix AAᵀ of the row-major n×d matrix a (leading dimension lda), in
// double, computed with our SYRK on one triangle. Float input is summed in float over slices of at
// most 8192 columns and the slices are added in double, so the rounding error does not grow with d.
std::vector<double> samples_gram(const float* a, std::size_t n, std::size_t d, std::size_t lda);
std::vector<double> samples_gram(const double* a, std::size_t n, std::size_t d, std::size_t lda);

}  // namespace csc::pca

// From the leading squared singular values of the analysed data to scikit-learn's PCA attributes:
// explained variance and its ratio, singular values, noise variance, and K for a variance target.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "kernels/pca/pca_model.h"

namespace csc::pca {

// Fills explained_variance, explained_variance_ratio, singular_values and noise_variance of `model`
// (whose n_samples, n_features and total_variance are set) from the K = squared.size() largest
// eigenvalues of AᵀA, descending. Tiny negative eigenvalues (rounding) count as 0. The noise variance
// is scikit-learn's: the variance left over, (total - sum of the K explained) / (min(n, d) - K), 0 when
// K == min(n, d).
void fill_spectrum(PcaModel& model, std::span<const double> squared_singular_values);

// Running sums of `ratios`.
std::vector<double> cumulative_sum(std::span<const double> ratios);

// The smallest K whose cumulative ratio exceeds `target` (scikit-learn's searchsorted(side='right') + 1);
// for target >= 1 the first K reaching 1 up to rounding (1e-12). 0 when `ratios` never gets there.
std::size_t components_for_variance(std::span<const double> ratios, double target);

}  // namespace csc::pca

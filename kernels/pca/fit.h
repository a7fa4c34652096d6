// Fitting a PCA to data held in memory (all four solvers) or summarised by its covariance (the
// out-of-core pass), with scikit-learn's definitions of every output.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/pca/pca_model.h"

namespace csc::pca {

// Fits the n×d row-major matrix x (leading dimension ld). The solvers that work on the centred data
// itself (svd, randomized, krylov, the Gram trick AAᵀ, any Gram matrix formed on options.device)
// centre (and scale) x in place, saving a copy; the Gram solver on XᵀX on the CPU reads x once and
// leaves it as it was. *data_preprocessed (when given) says which:
// true when x now holds the analysed data, ready for Projector::transform without preprocess().
// n >= 2, d >= 1, every value finite and at least one column not constant; otherwise
// std::invalid_argument (callers validate user data first and say what to do). options.n_components
// is clipped to min(n, d); the caller compares model.n_components with what it asked for to warn.
// Float input is decomposed in float (Gram matrices summed in double); every reported number is double.
PcaModel fit_in_place(float* x, std::size_t n, std::size_t d, std::size_t ld, const FitOptions& options,
                      bool* data_preprocessed = nullptr);
PcaModel fit_in_place(double* x, std::size_t n, std::size_t d, std::size_t ld, const FitOptions& options,
                      bool* data_preprocessed = nullptr);

// Fits from the sufficient statistics of n rows: column means, the centred scatter matrix
// S = sum (x - mean)(x - mean)ᵀ (d×d, full, row-major), and the per-column min and max (for the
// constant columns). The Gram solver on S is the only one possible; options.solver is ignored and
// model.solver_reason says so. Same conditions as fit_in_place.
PcaModel fit_from_scatter(std::size_t n, const std::vector<double>& mean, const std::vector<double>& scatter,
                          const std::vector<double>& min, const std::vector<double>& max,
                          const FitOptions& options);

}  // namespace csc::pca

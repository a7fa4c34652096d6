// Centring and scaling of the data before PCA: the per-column shift and divisor, the constant columns,
// and the total variance of the data as analysed.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/linalg/column_stats.h"

namespace csc::pca {

struct Preprocessing {
  std::vector<double> mean;   // d; zeros without centring
  std::vector<double> scale;  // d; ones without scaling and for constant columns
  std::vector<std::size_t> zero_variance_columns;  // min == max: constant columns
  double total_variance = 0;  // sum over columns of the variance (ddof 1) of (x - mean) / scale
};

// From the statistics of all rows (stats.rows >= 2, every cell finite). Scaling divides by the
// population standard deviation, as scikit-learn's StandardScaler does; a constant column keeps
// scale 1 (it is all zeros after centring, so it contributes nothing either way). Without centring
// the "variance" of a column is its mean square about 0, sum(x^2) / (n - 1).
Preprocessing make_preprocessing(const linalg::ColumnStats& stats, bool center, bool scale);

// x[i][j] = (x[i][j] - mean[j]) / scale[j] for the n×d row-major x (leading dimension ld), in place.
void apply_preprocessing(float* x, std::size_t n, std::size_t d, std::size_t ld, const std::vector<double>& mean,
                         const std::vector<double>& scale);
void apply_preprocessing(double* x, std::size_t n, std::size_t d, std::size_t ld, const std::vector<double>& mean,
                         const std::vector<double>& scale);

}  // namespace csc::pca

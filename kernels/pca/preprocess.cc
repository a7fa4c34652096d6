// Centring/scaling parameters from column statistics, and their in-place application.
#include "kernels/pca/preprocess.h"

#include <algorithm>
#include <cmath>

#include "kernels/pca/row_ops.h"

namespace csc::pca {

Preprocessing make_preprocessing(const linalg::ColumnStats& stats, bool center, bool scale) {
  const std::size_t d = stats.cols();
  const double n = static_cast<double>(stats.rows);
  Preprocessing p;
  p.mean.assign(d, 0.0);
  p.scale.assign(d, 1.0);
  for (std::size_t j = 0; j < d; ++j) {
    const bool constant = stats.min[j] == stats.max[j];
    if (constant) p.zero_variance_columns.push_back(j);
    if (center) p.mean[j] = stats.mean[j];
    if (scale && !constant) p.scale[j] = std::sqrt(stats.m2[j] / n);
    // Sum of squares about the shift actually subtracted (the mean, or 0 without centring).
    const double sum_squares = center ? stats.m2[j] : stats.m2[j] + n * stats.mean[j] * stats.mean[j];
    p.total_variance += sum_squares / (p.scale[j] * p.scale[j]) / (n - 1.0);
  }
  return p;
}

namespace {

template <class T>
void apply(T* x, std::size_t n, std::size_t d, std::size_t ld, const std::vector<double>& mean,
           const std::vector<double>& scale) {
  std::vector<T> shift(d), factor(d);
  for (std::size_t j = 0; j < d; ++j) {
    shift[j] = static_cast<T>(mean[j]);
    factor[j] = static_cast<T>(1.0 / scale[j]);
  }
  // Blocks of rows, so that each thread's share is a few calls rather than one per row.
  constexpr std::size_t kRows = 64;
  const auto blocks = static_cast<std::ptrdiff_t>((n + kRows - 1) / kRows);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t b = 0; b < blocks; ++b) {
    const std::size_t begin = static_cast<std::size_t>(b) * kRows;
    centre_rows(x + begin * ld, std::min(kRows, n - begin), d, ld, shift.data(), factor.data());
  }
}

}  // namespace

void apply_preprocessing(float* x, std::size_t n, std::size_t d, std::size_t ld, const std::vector<double>& mean,
                         const std::vector<double>& scale) {
  apply(x, n, d, ld, mean, scale);
}
void apply_preprocessing(double* x, std::size_t n, std::size_t d, std::size_t ld, const std::vector<double>& mean,
                         const std::vector<double>& scale) {
  apply(x, n, d, ld, mean, scale);
}

}  // namespace csc::pca

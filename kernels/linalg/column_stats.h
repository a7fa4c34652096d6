// Per-column mean, variance, min, max and non-finite count of a row-major matrix in one pass,
// numerically stable (blocked two-pass sums merged with Chan, Golub & LeVeque's update).
#pragma once

#include <cstddef>
#include <vector>

namespace csc::linalg {

struct ColumnStats {
  std::size_t rows = 0;              // rows seen
  std::vector<double> mean;          // one per column; NaN for a column with a non-finite cell or no rows
  std::vector<double> m2;            // sum of squared deviations from the mean; NaN like `mean`
  std::vector<double> min;           // smallest finite value; NaN when the column has none
  std::vector<double> max;           // largest finite value; NaN when the column has none
  std::vector<std::size_t> nonfinite;  // NaN and ±inf cells per column

  std::size_t cols() const { return mean.size(); }
  // m2 / (rows - ddof): ddof = 1 gives the sample variance, 0 the population variance; NaN when
  // rows <= ddof.
  std::vector<double> variance(std::size_t ddof) const;
};

// Statistics of the rows x cols matrix x (row i at x + i*ld, ld >= cols), accumulated in double for
// both input types. OpenMP splits rows into fixed chunks merged in order, so the result does not
// depend on the thread count.
ColumnStats column_stats(std::size_t rows, std::size_t cols, const float* x, std::size_t ld);
ColumnStats column_stats(std::size_t rows, std::size_t cols, const double* x, std::size_t ld);

// Folds the statistics of further rows (same columns) into `total`, for data read in blocks. A
// default-constructed `total` takes `block` as it is.
void merge_column_stats(ColumnStats& total, const ColumnStats& block);

}  // namespace csc::linalg

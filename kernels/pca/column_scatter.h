// One read of a data matrix in memory gives everything the Gram solver needs: per-column means,
// extremes and the centred scatter matrix, without writing a centred copy.
#pragma once

#include <cstddef>
#include <vector>

namespace csc::pca {

struct ColumnScatter {
  std::size_t rows = 0;
  std::vector<double> mean, min, max;  // d each
  std::vector<double> scatter;         // d×d, full, row-major: sum (x - mean)(x - mean)ᵀ
  std::vector<std::size_t> nonfinite_columns;  // columns holding NaN or ±inf (the rest is then meaningless)
};

// Reads the n×d row-major x (leading dimension ld) once, not modifying it. Threads take fixed units of
// rows as they come (a slower core does fewer); each unit is cut into cache-sized chunks, which
// subtract a common shift (the mean of the first rows, so that sums of squares about it do not cancel
// against a large mean) into an L2-sized buffer and add their outer products with
// linalg::accumulate_gram_rows (float units sum in float over at most 8192 rows); the units' sums are
// added in double in unit order, so the result does not depend on the number of threads. Throws
// std::invalid_argument on ld < d.
ColumnScatter column_scatter(const float* x, std::size_t n, std::size_t d, std::size_t ld);
ColumnScatter column_scatter(const double* x, std::size_t n, std::size_t d, std::size_t ld);

}  // namespace csc::pca

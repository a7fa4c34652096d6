// The per-chunk step of column_scatter: copy a block of rows minus a shift into the buffer that the
// Gram accumulation reads, and gather each column's extremes and sums on the way (one read of the data).
#pragma once

#include <cstddef>

namespace csc::pca {

// out (rows×d, leading dimension out_ld) = x (rows×d, leading dimension ld) - shift; per column j:
// min[j] and max[j] are lowered/raised by the rows' values, sum_x[j] += sum of x, sum_y[j] += sum of
// the stored x - shift (both in double: exact for float data). Highway, dispatched to the best SIMD
// target; one thread.
void shift_rows(const float* x, std::size_t rows, std::size_t d, std::size_t ld, const float* shift, float* out,
                std::size_t out_ld, float* min, float* max, double* sum_x, double* sum_y);
void shift_rows(const double* x, std::size_t rows, std::size_t d, std::size_t ld, const double* shift, double* out,
                std::size_t out_ld, double* min, double* max, double* sum_x, double* sum_y);

}  // namespace csc::pca

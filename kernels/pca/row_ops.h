// Row-wise steps of applying a fitted PCA (Highway, dispatched to the best SIMD target; one thread,
// callers split rows across threads): centring and scaling in place, squared residuals against a
// reconstruction, and mapping a reconstruction back to the original units.
#pragma once

#include <cstddef>

namespace csc::pca {

// x[i][j] = (x[i][j] - shift[j]) * factor[j] for rows i < rows, columns j < d (leading dimension ld).
void centre_rows(float* x, std::size_t rows, std::size_t d, std::size_t ld, const float* shift, const float* factor);
void centre_rows(double* x, std::size_t rows, std::size_t d, std::size_t ld, const double* shift,
                 const double* factor);

// out[i] = sum over j < d of (x[i][j] - fit[i][j])², differences and sum in double (exact differences
// for float data).
void squared_residuals(const float* x, std::size_t ldx, const float* fit, std::size_t ldfit, std::size_t rows,
                       std::size_t d, double* out);
void squared_residuals(const double* x, std::size_t ldx, const double* fit, std::size_t ldfit, std::size_t rows,
                       std::size_t d, double* out);

// out[i][j] = y[i][j] * scale[j] + shift[j] (one fused multiply-add), rows of d values, leading
// dimensions ldy and ldout.
void uncentre_rows(const float* y, std::size_t ldy, std::size_t rows, std::size_t d, const float* scale,
                   const float* shift, float* out, std::size_t ldout);
void uncentre_rows(const double* y, std::size_t ldy, std::size_t rows, std::size_t d, const double* scale,
                   const double* shift, double* out, std::size_t ldout);

}  // namespace csc::pca

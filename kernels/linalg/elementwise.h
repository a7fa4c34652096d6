// Element-wise exp, log, tanh, sigmoid and relu over float/double arrays (Highway, run-time dispatch).
#pragma once

#include <cstddef>

namespace csc::linalg {

enum class UnaryFn { exp, log, tanh, sigmoid, relu };

// y[i] = fn(x[i]) for i < n. y may equal x (in place) but must not otherwise overlap it.
// Results follow std:: within a few ULP, including the IEEE edge cases: NaN stays NaN, exp overflows
// to +inf and underflows to 0, log(0) = -inf, log(x < 0) = NaN, log(+inf) = +inf, tanh(±inf) = ±1.
// sigmoid(x) = 1 / (1 + e^-x) without overflow for any x; relu(x) = x < 0 ? 0 : x (NaN stays NaN,
// -0 stays -0). Large arrays are split across OpenMP threads.
void elementwise(UnaryFn fn, std::size_t n, const float* x, float* y);
void elementwise(UnaryFn fn, std::size_t n, const double* x, double* y);

// In place: x[i] = fn(x[i]).
inline void elementwise(UnaryFn fn, std::size_t n, float* x) { elementwise(fn, n, x, x); }
inline void elementwise(UnaryFn fn, std::size_t n, double* x) { elementwise(fn, n, x, x); }

}  // namespace csc::linalg

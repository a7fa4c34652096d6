// Row-wise softmax and log-sum-exp with max subtraction, and the online (max, sum) state that lets
// attention fold scores in blocks (Milakov & Gimelshein 2018, "Online normalizer calculation").
#pragma once

#include <cmath>
#include <cstddef>

#include "kernels/cuda_hd.h"

namespace csc::linalg {

// The normaliser of a softmax over the values seen so far: their maximum and sum(exp(x - max)).
// A value equal to the maximum contributes exactly 1, so +inf (and -inf when every value is -inf)
// never forms inf - inf. A NaN leaves `max` alone and turns `sum` into NaN.
template <class T>
struct SoftmaxState {
  T max = -INFINITY;
  T sum = 0;
};

template <class T>
CSC_HD inline SoftmaxState<T> softmax_push(SoftmaxState<T> s, T x) {
  if (x > s.max) {
    s.sum = s.sum * std::exp(s.max - x) + T(1);
    s.max = x;
  } else {
    s.sum += x == s.max ? T(1) : std::exp(x - s.max);
  }
  return s;
}

template <class T>
CSC_HD inline SoftmaxState<T> softmax_merge(SoftmaxState<T> a, SoftmaxState<T> b) {
  if (b.max > a.max) {
    const SoftmaxState<T> t = a;
    a = b;
    b = t;
  }
  a.sum += a.max == b.max ? b.sum : b.sum * std::exp(b.max - a.max);
  return a;
}

// log(sum(exp(x))): NaN if any value was NaN, else +inf if any was +inf, else -inf for no values or
// all -inf (as PyTorch's logsumexp), else max + log(sum).
template <class T>
CSC_HD inline T softmax_logsumexp(SoftmaxState<T> s) {
  if (s.sum != s.sum) return s.sum;
  if (s.max == INFINITY || s.max == -INFINITY) return s.max;
  return s.max + std::log(s.sum);
}

// The state of one row of n values, in one SIMD pass.
SoftmaxState<float> softmax_state(std::size_t n, const float* x);
SoftmaxState<double> softmax_state(std::size_t n, const double* x);

// out[i] = log(sum_j exp(x[i*ldx + j])) for each of `rows` rows of `cols` values (see
// softmax_logsumexp for NaN/inf; an empty row gives -inf). Requires ldx >= cols.
void logsumexp_rows(std::size_t rows, std::size_t cols, const float* x, std::size_t ldx, float* out);
void logsumexp_rows(std::size_t rows, std::size_t cols, const double* x, std::size_t ldx, double* out);

// y[i*ldy + j] = exp(x[i*ldx + j] - max_i) / sum_j exp(x[i*ldx + j] - max_i), row by row; y may be
// x (with ldy == ldx). -inf entries get 0; huge values (1e30) do not overflow. As in PyTorch, a row
// whose entries are all -inf, or that holds a NaN or a +inf, becomes all NaN. Requires ldx, ldy >= cols.
void softmax_rows(std::size_t rows, std::size_t cols, const float* x, std::size_t ldx, float* y, std::size_t ldy);
void softmax_rows(std::size_t rows, std::size_t cols, const double* x, std::size_t ldx, double* y, std::size_t ldy);

}  // namespace csc::linalg

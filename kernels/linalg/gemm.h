// GEMM, float32 and float64: C = alpha * op(A) * op(B) + beta * C with an optional fused bias + activation.
#pragma once

#include <cstddef>

namespace csc::linalg {

enum class Op { none, transpose };
enum class Activation { identity, relu, tanh, sigmoid };

// Applied to every element of C after alpha/beta: C[i][j] = act(C[i][j] + bias[j]).
// bias (length n) may be null (no bias). relu keeps NaN; sigmoid never overflows.
template <class T>
struct Epilogue {
  const T* bias = nullptr;
  Activation activation = Activation::identity;
};

// Row-major. C (m x n, leading dimension ldc >= n) = alpha * op(A) * op(B) + beta * C, then the epilogue.
// op(A) is m x k: A is m x k (lda >= k) for Op::none, k x m (lda >= m) for Op::transpose; the same
// for B (op(B) is k x n). beta == 0: C is not read (NaN in C is ignored); alpha == 0 or k == 0: A and B
// are not read. C must not overlap A, B or the bias. Leading dimensions only matter for matrices with
// at least one element.
// Throws std::invalid_argument on a leading dimension smaller than the row width or on a null pointer
// for a non-empty matrix. Threads: omp_get_max_threads() (fewer for small products).
void gemm(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
          std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc,
          const Epilogue<float>& epilogue = {});
void gemm(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
          std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc,
          const Epilogue<double>& epilogue = {});

}  // namespace csc::linalg

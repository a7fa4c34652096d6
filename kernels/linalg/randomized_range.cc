// Randomized range finder and truncated SVD: our GEMM for every product with A, Eigen for the small QR/SVD.
#include "kernels/linalg/randomized_range.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/SVD>

#include "kernels/linalg/gaussian_stream.h"
#include "kernels/linalg/gemm.h"

namespace csc::linalg {
namespace {

void check(const void* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k) {
  if (k == 0) throw std::invalid_argument("randomized_range: rank k must be at least 1");
  if (k > std::min(m, n)) throw std::invalid_argument("randomized_range: rank k exceeds min(rows, cols)");
  if (lda < n) throw std::invalid_argument("randomized_range: lda smaller than the number of columns");
  if (a == nullptr) throw std::invalid_argument("randomized_range: null matrix");
}

// Orthonormal bases of blocks of columns, computed in double for both input types: only A's products
// need float speed, and a float Cholesky QR would fail on blocks that double handles. The double
// blocks persist between calls (see orthonormalize_columns' workspace).
class OrthonormalBasis {
 public:
  // out = an orthonormal basis of y's columns (out may be y).
  template <class T>
  void operator()(const RowMatrix<T>& y, RowMatrix<T>& out) {
    basis_ = y.template cast<double>();
    orthonormalize_columns(basis_, workspace_);
    out = basis_.template cast<T>();
  }

 private:
  RowMatrix<double> basis_, workspace_;
};

template <class T>
RowMatrix<T> range(const T* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k, std::size_t oversample,
                   std::size_t power_iterations, std::uint64_t seed) {
  check(a, m, n, lda, k);
  const std::size_t l = std::min({k + std::min(oversample, std::min(m, n)), m, n});
  RowMatrix<T> omega(n, l);
  fill_gaussian(omega.data(), n * l, seed);

  RowMatrix<T> q(m, l);
  gemm(Op::none, Op::none, m, l, n, T(1), a, lda, omega.data(), l, T(0), q.data(), l);
  OrthonormalBasis samples_basis, features_basis;  // blocks of m and of n rows
  samples_basis(q, q);
  RowMatrix<T>& z = omega;  // n x l, no longer needed
  for (std::size_t it = 0; it < power_iterations; ++it) {
    gemm(Op::transpose, Op::none, n, l, m, T(1), a, lda, q.data(), l, T(0), z.data(), l);
    features_basis(z, z);
    gemm(Op::none, Op::none, m, l, n, T(1), a, lda, z.data(), l, T(0), q.data(), l);
    samples_basis(q, q);
  }
  return q;
}

template <class T>
TruncatedSvd<T> svd(const T* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k, std::size_t oversample,
                    std::size_t power_iterations, std::uint64_t seed) {
  const RowMatrix<T> q = range(a, m, n, lda, k, oversample, power_iterations, seed);
  const std::size_t l = static_cast<std::size_t>(q.cols());
  // B = Qᵀ A is l x n; its transpose Aᵀ Q is a skinny product over A's rows (linalg's skinny kernel
  // reads A in place). Then Bᵀ = P R (P = its orthonormal basis, R = Pᵀ Bᵀ, l x l) and the one-sided
  // Jacobi SVD of R = Ur S Vrᵀ, accurate to full precision: B = Vr S (P Ur)ᵀ.
  RowMatrix<T> bt(n, l);
  gemm(Op::transpose, Op::none, n, l, m, T(1), a, lda, q.data(), l, T(0), bt.data(), l);
  const RowMatrix<double> bt_double = bt.template cast<double>();
  RowMatrix<double> p = bt_double;
  orthonormalize_columns(p);
  RowMatrix<double> r(l, l);
  gemm(Op::transpose, Op::none, l, l, n, 1.0, p.data(), l, bt_double.data(), l, 0.0, r.data(), l);
  const Eigen::JacobiSVD<Eigen::MatrixXd> small(r, Eigen::ComputeFullU | Eigen::ComputeFullV);
  const RowMatrix<double> ur = small.matrixU().leftCols(k);
  RowMatrix<double> v(n, k);
  gemm(Op::none, Op::none, n, k, l, 1.0, p.data(), l, ur.data(), k, 0.0, v.data(), k);

  TruncatedSvd<T> out;
  const RowMatrix<T> ub = small.matrixV().leftCols(k).cast<T>();
  out.u.resize(m, k);
  gemm(Op::none, Op::none, m, k, l, T(1), q.data(), l, ub.data(), k, T(0), out.u.data(), k);
  out.s = small.singularValues().head(k).cast<T>();
  out.vt = v.transpose().cast<T>();
  for (std::size_t j = 0; j < k; ++j) {
    Eigen::Index at = 0;
    out.u.col(j).cwiseAbs().maxCoeff(&at);
    if (out.u(at, j) < T(0)) {
      out.u.col(j) *= T(-1);
      out.vt.row(j) *= T(-1);
    }
  }
  return out;
}

}  // namespace

RowMatrix<float> randomized_range(const float* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                  std::size_t oversample, std::size_t power_iterations, std::uint64_t seed) {
  return range(a, m, n, lda, k, oversample, power_iterations, seed);
}
RowMatrix<double> randomized_range(const double* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                   std::size_t oversample, std::size_t power_iterations, std::uint64_t seed) {
  return range(a, m, n, lda, k, oversample, power_iterations, seed);
}
TruncatedSvd<float> randomized_svd(const float* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                   std::size_t oversample, std::size_t power_iterations, std::uint64_t seed) {
  return svd(a, m, n, lda, k, oversample, power_iterations, seed);
}
TruncatedSvd<double> randomized_svd(const double* a, std::size_t m, std::size_t n, std::size_t lda, std::size_t k,
                                    std::size_t oversample, std::size_t power_iterations, std::uint64_t seed) {
  return svd(a, m, n, lda, k, oversample, power_iterations, seed);
}

}  // namespace csc::linalg

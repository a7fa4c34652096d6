// Randomized range finder and SVD on matrices with a planted spectrum: A = U diag(s) V^T + tiny noise,
// with exact singular values s_i = 2^-i, checked with Eigen's eigensolver on the residual's Gram matrix
// (not the code under test), on every SIMD target (the products run through csc's GEMM).
#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <Eigen/QR>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/linalg/randomized_range.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::test::for_each_simd_target;
using Matrix = Eigen::MatrixXd;

struct Planted {
  std::size_t m, n, lda;
  std::vector<double> s;       // the planted singular values, descending
  std::vector<double> values;  // row-major m x n, rows padded to lda with NaN
  Matrix dense;                // the same matrix for the reference computations
};

Matrix random_orthonormal(std::size_t rows, std::size_t cols, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  Matrix g(rows, cols);
  for (Eigen::Index i = 0; i < g.rows(); ++i)
    for (Eigen::Index j = 0; j < g.cols(); ++j) g(i, j) = normal(rng);
  const Eigen::HouseholderQR<Matrix> qr(g);
  return qr.householderQ() * Matrix::Identity(rows, cols);
}

Planted planted(std::size_t m, std::size_t n, std::size_t rank, double noise, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Planted p{m, n, n + 5, {}, {}, {}};
  const Matrix u = random_orthonormal(m, rank, rng), v = random_orthonormal(n, rank, rng);
  Eigen::VectorXd s(rank);
  for (std::size_t i = 0; i < rank; ++i) s(i) = std::ldexp(1.0, -static_cast<int>(i));
  p.s.assign(s.data(), s.data() + rank);
  p.dense = u * s.asDiagonal() * v.transpose();
  std::normal_distribution<double> normal(0.0, noise);
  for (Eigen::Index i = 0; i < p.dense.rows(); ++i)
    for (Eigen::Index j = 0; j < p.dense.cols(); ++j) p.dense(i, j) += normal(rng);
  p.values.assign(m * p.lda, NAN);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) p.values[i * p.lda + j] = p.dense(i, j);
  return p;
}

// Largest singular value, as the square root of the largest eigenvalue of A^T A.
double spectral_norm(const Matrix& a) {
  const Matrix gram = a.transpose() * a;
  return std::sqrt(Eigen::SelfAdjointEigenSolver<Matrix>(gram, Eigen::EigenvaluesOnly).eigenvalues().maxCoeff());
}

double orthonormality_error(const Matrix& q) {
  return (q.transpose() * q - Matrix::Identity(q.cols(), q.cols())).cwiseAbs().maxCoeff();
}

}  // namespace

TEST_CASE("randomized range: orthonormal Q whose residual is close to s_{k+1}") {
  const Planted p = planted(300, 200, 40, 1e-13, 1);
  const std::size_t k = 10;
  for_each_simd_target([&] {
    // No oversampling, three power iterations: the residual is s_{k+1} up to a small factor.
    {
      const Matrix q = csc::linalg::randomized_range(p.values.data(), p.m, p.n, p.lda, k, 0, 3, 42).cast<double>();
      REQUIRE(q.rows() == 300);
      REQUIRE(q.cols() == 10);
      CHECK(orthonormality_error(q) <= 1e-10);
      const double residual = spectral_norm(p.dense - q * (q.transpose() * p.dense));
      CHECK(residual >= p.s[k] * (1 - 1e-9));  // no rank-k basis does better (Eckart-Young)
      CHECK(residual <= 1.5 * p.s[k]);
    }
    // Oversampling 10 with two iterations: better than s_{k+1}, never better than s_{k+p+1}.
    {
      const Matrix q = csc::linalg::randomized_range(p.values.data(), p.m, p.n, p.lda, k, 10, 2, 42).cast<double>();
      REQUIRE(q.cols() == 20);
      CHECK(orthonormality_error(q) <= 1e-10);
      const double residual = spectral_norm(p.dense - q * (q.transpose() * p.dense));
      CHECK(residual >= p.s[20] * (1 - 1e-9));
      CHECK(residual <= p.s[k]);
    }
  });
}

TEST_CASE("randomized range is reproducible for a seed and changes with it") {
  const Planted p = planted(120, 90, 30, 1e-12, 2);
  const auto q1 = csc::linalg::randomized_range(p.values.data(), p.m, p.n, p.lda, 5, 5, 1, 7);
  const auto q2 = csc::linalg::randomized_range(p.values.data(), p.m, p.n, p.lda, 5, 5, 1, 7);
  const auto q3 = csc::linalg::randomized_range(p.values.data(), p.m, p.n, p.lda, 5, 5, 1, 8);
  CHECK(q1 == q2);
  CHECK(q1 != q3);
}

TEST_CASE("randomized range in float32") {
  const Planted p = planted(150, 100, 20, 0.0, 3);
  std::vector<float> a(p.values.begin(), p.values.end());
  const Matrix q = csc::linalg::randomized_range(a.data(), p.m, p.n, p.lda, 5, 5, 2, 1).cast<double>();
  CHECK(orthonormality_error(q) <= 1e-5);
  const double residual = spectral_norm(p.dense - q * (q.transpose() * p.dense));
  CHECK(residual <= p.s[5] + 1e-5);
}

TEST_CASE("randomized range clamps the oversampled width to min(m, n)") {
  const Planted p = planted(6, 4, 4, 0.0, 4);
  const auto q = csc::linalg::randomized_range(p.values.data(), 6, 4, p.lda, 3, 10, 1, 0);
  CHECK(q.rows() == 6);
  CHECK(q.cols() == 4);
  CHECK(orthonormality_error(q.cast<double>()) <= 1e-12);
}

TEST_CASE("randomized SVD recovers the planted singular values and fixes signs like svd_flip") {
  const Planted p = planted(250, 180, 40, 1e-13, 5);
  const std::size_t k = 8;
  for_each_simd_target([&] {
    const auto svd = csc::linalg::randomized_svd(p.values.data(), p.m, p.n, p.lda, k, 10, 2, 3);
    REQUIRE(svd.u.rows() == 250);
    REQUIRE(svd.u.cols() == 8);
    REQUIRE(svd.s.size() == 8);
    REQUIRE(svd.vt.rows() == 8);
    REQUIRE(svd.vt.cols() == 180);
    for (std::size_t i = 0; i < k; ++i) CHECK(svd.s(i) == doctest::Approx(p.s[i]).epsilon(1e-8));
    CHECK(orthonormality_error(svd.u) <= 1e-10);
    CHECK(orthonormality_error(svd.vt.transpose()) <= 1e-10);
    const Matrix approx = svd.u * svd.s.asDiagonal() * svd.vt;
    CHECK(spectral_norm(p.dense - approx) <= 1.01 * p.s[k]);
    for (std::size_t j = 0; j < k; ++j) {
      Eigen::Index at = 0;
      svd.u.col(j).cwiseAbs().maxCoeff(&at);
      CHECK(svd.u(at, j) > 0);
    }
  });
}

TEST_CASE("randomized range rejects bad arguments") {
  const std::vector<double> a(12, 1.0);
  CHECK_THROWS_AS(csc::linalg::randomized_range(a.data(), 3, 4, 4, 0, 2, 1, 0), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::randomized_range(a.data(), 3, 4, 4, 4, 2, 1, 0), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::randomized_range(a.data(), 3, 4, 3, 2, 2, 1, 0), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::randomized_range(static_cast<const double*>(nullptr), 3, 4, 4, 2, 2, 1, 0),
                  std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::randomized_svd(a.data(), 3, 4, 4, 5, 2, 1, 0), std::invalid_argument);
  // A zero matrix still yields an orthonormal basis.
  const std::vector<double> zeros(12, 0.0);
  const auto q = csc::linalg::randomized_range(zeros.data(), 3, 4, 4, 2, 0, 1, 0);
  CHECK(orthonormality_error(q) <= 1e-12);
}

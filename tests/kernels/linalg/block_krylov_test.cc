// Block Krylov SVD against Eigen's BDCSVD (the reference, not the code under test) on matrices with
// a slowly decaying spectrum, where the randomized range finder needs many power iterations; also
// its stopping rule, rank deficiency, determinism and bad arguments.
#include <doctest/doctest.h>

#include <Eigen/QR>
#include <Eigen/SVD>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/linalg/block_krylov.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::linalg::block_krylov_svd;
using Matrix = Eigen::MatrixXd;

Matrix random_orthonormal(Eigen::Index rows, Eigen::Index cols, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  Matrix g(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) g(i, j) = normal(rng);
  const Eigen::HouseholderQR<Matrix> qr(g);
  return qr.householderQ() * Matrix::Identity(rows, cols);
}

// m x n with singular values decay^i (i < rank), rows padded to lda = n + 3 with NaN (never read).
struct Test {
  std::size_t m, n, lda;
  Matrix dense;
  std::vector<double> values;
};

Test make(std::size_t m, std::size_t n, std::size_t rank, double decay, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const Eigen::Index r = static_cast<Eigen::Index>(rank);
  Eigen::VectorXd s(r);
  for (Eigen::Index i = 0; i < r; ++i) s(i) = std::pow(decay, static_cast<double>(i));
  Test t{m, n, n + 3, random_orthonormal(static_cast<Eigen::Index>(m), r, rng) * s.asDiagonal() *
                          random_orthonormal(static_cast<Eigen::Index>(n), r, rng).transpose(), {}};
  t.values.assign(m * t.lda, NAN);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j)
      t.values[i * t.lda + j] = t.dense(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  return t;
}

// Singular values to `tolerance` relative, u and v of each triplet parallel to the reference's (the
// spectrum is simple), |A v - s u| small, and the sign rule: each u's largest entry positive.
template <class T>
void check_against_bdcsvd(const Test& t, const csc::linalg::KrylovSvd<T>& got, std::size_t k, double tolerance) {
  const Eigen::BDCSVD<Matrix> reference(t.dense, Eigen::ComputeThinU | Eigen::ComputeThinV);
  REQUIRE(static_cast<std::size_t>(got.svd.s.size()) >= k);
  for (std::size_t j = 0; j < k; ++j) {
    const Eigen::Index e = static_cast<Eigen::Index>(j);
    CHECK(static_cast<double>(got.svd.s(e)) == doctest::Approx(reference.singularValues()(e)).epsilon(tolerance));
    const Eigen::VectorXd u = got.svd.u.col(e).template cast<double>();
    const Eigen::VectorXd v = got.svd.vt.row(e).transpose().template cast<double>();
    CHECK(std::abs(u.dot(reference.matrixU().col(e))) == doctest::Approx(1.0).epsilon(100 * tolerance));
    CHECK(std::abs(v.dot(reference.matrixV().col(e))) == doctest::Approx(1.0).epsilon(100 * tolerance));
    CHECK((t.dense * v - reference.singularValues()(e) * u).norm() <= 100 * tolerance);
    Eigen::Index at = 0;
    u.cwiseAbs().maxCoeff(&at);
    CHECK(u(at) > 0);
  }
}

}  // namespace

TEST_CASE("block Krylov SVD: a slowly decaying spectrum to 1e-10 in double, and it stops early") {
  csc::test::for_each_simd_target([] {
    for (const auto& [m, n] : {std::pair<std::size_t, std::size_t>{400, 250}, {250, 400}}) {
      const Test t = make(m, n, 200, 0.97, 7);  // s_{k+1} / s_k = 0.97: 7 power iterations would not do
      const auto got = block_krylov_svd(t.values.data(), m, n, t.lda, 5, 5, 20, 1e-12, 3);
      check_against_bdcsvd(t, got, 5, 1e-10);
      CHECK(got.converged);
      CHECK(got.depth < 20);
      CHECK(got.products == 2 * got.depth + 2);
      // The range finder with as many products (depth power iterations) is far off on s_5.
      const auto range = csc::linalg::randomized_svd(t.values.data(), m, n, t.lda, 5, 5, got.depth, 3);
      const double exact = std::pow(0.97, 4);
      const double krylov_error = std::abs(got.svd.s(4) - exact), range_error = std::abs(range.s(4) - exact);
      CHECK(range_error > 1000 * krylov_error);
    }
  });
}

TEST_CASE("block Krylov SVD: float products, singular values to 1e-5") {
  const Test t = make(300, 500, 100, 0.95, 8);
  const std::vector<float> values(t.values.begin(), t.values.end());
  const auto got = block_krylov_svd(values.data(), 300, 500, t.lda, 8, 10, 10, 1e-6, 1);
  check_against_bdcsvd(t, got, 8, 1e-5);
  CHECK(got.converged);
}

TEST_CASE("block Krylov SVD: the depth limit, rank deficiency, determinism") {
  SUBCASE("tolerance 0 never settles: it runs to max_depth and says it did not converge") {
    const Test t = make(200, 120, 100, 0.9, 9);
    const auto got = block_krylov_svd(t.values.data(), 200, 120, t.lda, 4, 4, 3, 0.0, 1);
    CHECK(got.depth == 3);
    CHECK(got.products == 8);
    CHECK_FALSE(got.converged);
  }
  SUBCASE("max_depth is cut to what the m side can hold: b (depth + 1) <= m") {
    const Test t = make(40, 300, 30, 0.9, 10);
    const auto got = block_krylov_svd(t.values.data(), 40, 300, t.lda, 5, 5, 50, 0.0, 1);
    CHECK(got.depth == 3);  // b = 10: four blocks fill the 40 rows
  }
  SUBCASE("rank 3 with k = 6: three exact triplets, then zeros without NaN") {
    const Test t = make(150, 90, 3, 0.5, 11);
    const auto got = block_krylov_svd(t.values.data(), 150, 90, t.lda, 6, 4, 5, 1e-12, 1);
    check_against_bdcsvd(t, got, 3, 1e-10);
    for (Eigen::Index j = 3; j < 6; ++j) CHECK(got.svd.s(j) < 1e-6);
    CHECK(got.svd.vt.allFinite());
    CHECK(got.svd.u.allFinite());
  }
  SUBCASE("rank 3, tolerance 0: five more blocks of rounding noise stay orthogonal to the first") {
    const Test t = make(150, 90, 3, 0.5, 11);
    const auto got = block_krylov_svd(t.values.data(), 150, 90, t.lda, 6, 4, 5, 0.0, 1);
    CHECK(got.depth == 5);
    check_against_bdcsvd(t, got, 3, 1e-10);
  }
  SUBCASE("the same seed gives the same result; another seed the same values") {
    const Test t = make(120, 80, 60, 0.9, 12);
    const auto a = block_krylov_svd(t.values.data(), 120, 80, t.lda, 3, 5, 8, 1e-12, 5);
    const auto b = block_krylov_svd(t.values.data(), 120, 80, t.lda, 3, 5, 8, 1e-12, 5);
    const auto c = block_krylov_svd(t.values.data(), 120, 80, t.lda, 3, 5, 8, 1e-12, 6);
    CHECK(a.svd.vt == b.svd.vt);
    for (Eigen::Index j = 0; j < 3; ++j) CHECK(c.svd.s(j) == doctest::Approx(a.svd.s(j)).epsilon(1e-10));
  }
}

TEST_CASE("block Krylov SVD: bad arguments throw") {
  const std::vector<double> a(12, 1.0);
  CHECK_THROWS_AS(block_krylov_svd(a.data(), 3, 4, 4, 0, 1, 2, 1e-6, 1), std::invalid_argument);
  CHECK_THROWS_AS(block_krylov_svd(a.data(), 3, 4, 4, 4, 1, 2, 1e-6, 1), std::invalid_argument);
  CHECK_THROWS_AS(block_krylov_svd(a.data(), 3, 4, 3, 2, 1, 2, 1e-6, 1), std::invalid_argument);
  CHECK_THROWS_AS(block_krylov_svd(static_cast<const double*>(nullptr), 3, 4, 4, 2, 1, 2, 1e-6, 1),
                  std::invalid_argument);
}

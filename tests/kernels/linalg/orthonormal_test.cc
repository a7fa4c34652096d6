// orthonormalize_columns against the properties that define its result, not another implementation:
// QᵀQ = I, every column of the input is in span(Q) (Q Qᵀ y = y), and column j of Q lies in the span of
// the first j + 1 input columns (Qᵀ y is upper triangular), on well-conditioned blocks (CholQR2),
// blocks past CholQR2's reach (the Householder fallback) and blocks with zero or repeated columns.
#include <doctest/doctest.h>

#include <Eigen/QR>

#include <cmath>
#include <random>

#include "kernels/linalg/orthonormal.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::linalg::RowMatrix;
using csc::linalg::orthonormalize_columns;

RowMatrix<double> gaussian(Eigen::Index rows, Eigen::Index cols, std::mt19937_64& rng) {
  std::normal_distribution<double> normal;
  RowMatrix<double> y(rows, cols);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) y(i, j) = normal(rng);
  return y;
}

// y with its columns' singular values spread over `decades` (y = U diag(10^-t) Vᵀ with random U, V).
RowMatrix<double> conditioned(Eigen::Index rows, Eigen::Index cols, double decades, std::mt19937_64& rng) {
  const Eigen::HouseholderQR<Eigen::MatrixXd> qu(gaussian(rows, cols, rng)), qv(gaussian(cols, cols, rng));
  const Eigen::MatrixXd u = qu.householderQ() * Eigen::MatrixXd::Identity(rows, cols);
  const Eigen::MatrixXd v = qv.householderQ() * Eigen::MatrixXd::Identity(cols, cols);
  Eigen::VectorXd s(cols);
  for (Eigen::Index i = 0; i < cols; ++i) s(i) = std::pow(10.0, -decades * static_cast<double>(i) / static_cast<double>(cols - 1));
  return u * s.asDiagonal() * v.transpose();
}

// Checks the three properties; `full_rank` columns of y are independent (the rest repeat or are zero).
// With a workspace, through the overload that keeps the product between passes in it.
void check_basis(const RowMatrix<double>& y, Eigen::Index full_rank, RowMatrix<double>* workspace = nullptr) {
  RowMatrix<double> q = y;
  if (workspace != nullptr)
    orthonormalize_columns(q, *workspace);
  else
    orthonormalize_columns(q);
  const Eigen::Index cols = y.cols();
  REQUIRE(q.rows() == y.rows());
  REQUIRE(q.cols() == cols);
  const Eigen::MatrixXd gram = q.transpose() * q;
  CHECK((gram - Eigen::MatrixXd::Identity(cols, cols)).cwiseAbs().maxCoeff() < 1e-12);
  const Eigen::MatrixXd coefficients = q.transpose() * y;
  const double scale = y.cwiseAbs().maxCoeff();
  CHECK((q * coefficients - y).cwiseAbs().maxCoeff() < 1e-10 * scale);
  for (Eigen::Index j = 0; j < full_rank; ++j)
    for (Eigen::Index i = j + 1; i < full_rank; ++i) {
      CAPTURE(i);
      CAPTURE(j);
      CHECK(std::abs(coefficients(i, j)) < 1e-9 * scale);
    }
}

}  // namespace

TEST_CASE("orthonormalize_columns: a well-conditioned block, columns of very different norms") {
  std::mt19937_64 rng(1);
  csc::test::for_each_simd_target([&] {
    RowMatrix<double> y = gaussian(2000, 30, rng);
    for (Eigen::Index j = 0; j < y.cols(); ++j) y.col(j) *= std::pow(10.0, static_cast<double>(j % 7) - 3);
    check_basis(y, y.cols());
  });
}

TEST_CASE("orthonormalize_columns: one workspace through blocks of other shapes, fallback included") {
  std::mt19937_64 rng(3);
  RowMatrix<double> workspace(7, 3);  // the wrong shape to start with
  check_basis(gaussian(400, 12, rng), 12, &workspace);
  check_basis(conditioned(300, 20, 14.0, rng), 0, &workspace);  // Householder after a first pass
  check_basis(gaussian(400, 12, rng), 12, &workspace);
  check_basis(gaussian(50, 50, rng), 50, &workspace);
}

TEST_CASE("orthonormalize_columns: condition numbers within and past Cholesky QR's reach") {
  std::mt19937_64 rng(2);
  for (double decades : {2.0, 6.0, 10.0, 14.0}) {
    CAPTURE(decades);
    check_basis(conditioned(500, 20, decades, rng), decades < 12 ? 20 : 0);
  }
}

TEST_CASE("orthonormalize_columns: zero and repeated columns still give an orthonormal Q spanning y") {
  std::mt19937_64 rng(3);
  RowMatrix<double> y = gaussian(300, 8, rng);
  y.col(5) = y.col(1);
  y.col(6).setZero();
  check_basis(y, 5);
  RowMatrix<double> tiny = gaussian(3, 3, rng);
  check_basis(tiny, 3);
}

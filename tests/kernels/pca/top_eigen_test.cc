// top_eigenpairs against matrices built from known eigenpairs (dense and subspace-iteration paths).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <stdexcept>
#include <vector>

#include "kernels/pca/top_eigen.h"

namespace {

// M = Q diag(lambda) Qᵀ with Q the orthonormal DCT-II basis: eigenvector r is q_r[j] =
// c_r cos(pi (j + 0.5) r / dim), c_0 = sqrt(1/dim), c_r = sqrt(2/dim).
double basis(std::size_t r, std::size_t j, std::size_t dim) {
  const double c = r == 0 ? std::sqrt(1.0 / dim) : std::sqrt(2.0 / dim);
  return c * std::cos(M_PI * (static_cast<double>(j) + 0.5) * static_cast<double>(r) / static_cast<double>(dim));
}

std::vector<double> build(const std::vector<double>& lambda) {
  const std::size_t dim = lambda.size();
  std::vector<double> m(dim * dim, 0.0);
  for (std::size_t r = 0; r < dim; ++r)
    for (std::size_t i = 0; i < dim; ++i) {
      const double qi = lambda[r] * basis(r, i, dim);
      for (std::size_t j = 0; j < dim; ++j) m[i * dim + j] += qi * basis(r, j, dim);
    }
  return m;
}

// Eigenvalues 1000 * 0.9^r, placed at shuffled positions r -> (7 r) mod dim (dim not a multiple of 7)
// so that the largest do not sit on the first basis vectors.
void check_dim(std::size_t dim, std::size_t k) {
  std::vector<double> lambda(dim);
  for (std::size_t r = 0; r < dim; ++r) lambda[(7 * r) % dim] = 1000.0 * std::pow(0.9, static_cast<double>(r));
  const auto pairs = csc::pca::top_eigenpairs(build(lambda).data(), dim, k, 5);
  CAPTURE(dim);
  CAPTURE(pairs.method);
  REQUIRE(pairs.values.size() == k);
  for (std::size_t i = 0; i < k; ++i) {
    CAPTURE(i);
    CHECK(pairs.values[i] == doctest::Approx(1000.0 * std::pow(0.9, static_cast<double>(i))).epsilon(1e-10));
    const std::size_t where = (7 * i) % dim;
    double dot = 0;
    for (std::size_t j = 0; j < dim; ++j) dot += pairs.vectors[i * dim + j] * basis(where, j, dim);
    CHECK(std::abs(dot) == doctest::Approx(1.0).epsilon(1e-9));
  }
}

}  // namespace

TEST_CASE("top_eigenpairs: dense path for small matrices") {
  check_dim(1, 1);
  check_dim(2, 2);
  check_dim(30, 5);
  check_dim(150, 150);
}

TEST_CASE("top_eigenpairs: subspace iteration for large matrices") {
  check_dim(400, 10);
  check_dim(601, 40);
  const auto pairs = csc::pca::top_eigenpairs(build(std::vector<double>(500, 0.0)).data(), 500, 3, 1);
  CHECK(pairs.values[0] == 0.0);  // a zero matrix converges at once
}

TEST_CASE("top_eigenpairs: rank-deficient matrix gives zero eigenvalues with orthonormal vectors") {
  std::vector<double> lambda(300, 0.0);
  lambda[3] = 5.0;
  lambda[10] = 2.0;
  const auto pairs = csc::pca::top_eigenpairs(build(lambda).data(), 300, 4, 9);
  CHECK(pairs.values[0] == doctest::Approx(5.0));
  CHECK(pairs.values[1] == doctest::Approx(2.0));
  CHECK(std::abs(pairs.values[2]) < 1e-12);
  for (std::size_t a = 0; a < 4; ++a)
    for (std::size_t b = 0; b < 4; ++b) {
      double dot = 0;
      for (std::size_t j = 0; j < 300; ++j) dot += pairs.vectors[a * 300 + j] * pairs.vectors[b * 300 + j];
      CHECK(dot == doctest::Approx(a == b ? 1.0 : 0.0).epsilon(1e-9).scale(1.0));
    }
}

TEST_CASE("top_eigenpairs rejects k == 0 and k > dim") {
  const std::vector<double> m{2.0, 0.0, 0.0, 1.0};
  CHECK_THROWS_AS(csc::pca::top_eigenpairs(m.data(), 2, 0, 1), std::invalid_argument);
  CHECK_THROWS_AS(csc::pca::top_eigenpairs(m.data(), 2, 3, 1), std::invalid_argument);
}

TEST_CASE("top_eigenpairs: a flat spectrum after the k-th value ends in the dense solver, still exact") {
  // 30 clear values, then 570 within 2 % of each other: subspace iteration converges at the rate
  // λ_{l+1}/λ_k ~ 0.99 and gives way to the dense solver after its budget of iterations.
  const std::size_t dim = 600, k = 40;
  std::vector<double> lambda(dim);
  for (std::size_t r = 0; r < dim; ++r)
    lambda[(7 * r) % dim] = r < 30 ? 1000.0 * std::pow(0.8, static_cast<double>(r)) : 1.0 - 0.02 * static_cast<double>(r) / dim;
  std::vector<double> sorted = lambda;
  std::sort(sorted.rbegin(), sorted.rend());
  const std::vector<double> m = build(lambda);
  const auto pairs = csc::pca::top_eigenpairs(m.data(), dim, k, 3);
  CAPTURE(pairs.method);
  CHECK(pairs.method.find("would not converge") != std::string::npos);
  for (std::size_t i = 0; i < k; ++i) {
    CAPTURE(i);
    CHECK(pairs.values[i] == doctest::Approx(sorted[i]).epsilon(1e-12));
    // Residual |M v - λ v| small against |M| (vectors of the flat part are only defined up to rotation).
    double residual = 0;
    for (std::size_t a = 0; a < dim; ++a) {
      double mv = 0;
      for (std::size_t b = 0; b < dim; ++b) mv += m[a * dim + b] * pairs.vectors[i * dim + b];
      residual += std::pow(mv - pairs.values[i] * pairs.vectors[i * dim + a], 2);
    }
    CHECK(std::sqrt(residual) < 1e-9 * sorted[0]);
  }
}

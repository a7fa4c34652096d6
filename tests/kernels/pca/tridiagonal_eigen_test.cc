// tridiagonal_top_eigenvalues and tridiagonal_eigenvectors against closed forms: the second-difference
// matrix, exact multiplicities (a block-diagonal T with equal blocks) and the zero matrix.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "kernels/pca/tridiagonal_eigen.h"

namespace {

double dot(const double* a, const double* b, std::size_t n) {
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

// |T v - λ v| for the tridiagonal T = (diag, off).
double residual(const std::vector<double>& diag, const std::vector<double>& off, const double* v, double lambda) {
  const std::size_t n = diag.size();
  double s = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double tv = diag[i] * v[i];
    if (i > 0) tv += off[i - 1] * v[i - 1];
    if (i + 1 < n) tv += off[i] * v[i + 1];
    s += (tv - lambda * v[i]) * (tv - lambda * v[i]);
  }
  return std::sqrt(s);
}

void check_orthonormal(const std::vector<double>& v, std::size_t k, std::size_t n) {
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b <= a; ++b)
      CHECK(dot(&v[a * n], &v[b * n], n) == doctest::Approx(a == b ? 1.0 : 0.0).scale(1.0).epsilon(1e-10));
}

}  // namespace

TEST_CASE("tridiagonal_eigenvectors: second differences, λ_j = 2 - 2 cos(jπ/(n+1)), v_j(i) ∝ sin(ijπ/(n+1))") {
  for (std::size_t n : {1u, 2u, 5u, 200u}) {
    CAPTURE(n);
    const std::vector<double> diag(n, 2.0), off(n - 1, -1.0);
    std::vector<double> values;
    for (std::size_t j = n; j >= 1 && values.size() < 6; --j)
      values.push_back(2.0 - 2.0 * std::cos(static_cast<double>(j) * M_PI / static_cast<double>(n + 1)));
    const auto v = csc::pca::tridiagonal_eigenvectors(diag, off, values, 1);
    REQUIRE(v.size() == values.size() * n);
    for (std::size_t r = 0; r < values.size(); ++r) {
      const std::size_t j = n - r;
      std::vector<double> exact(n);
      for (std::size_t i = 0; i < n; ++i) exact[i] = std::sin(static_cast<double>((i + 1) * j) * M_PI / static_cast<double>(n + 1));
      const double norm = std::sqrt(dot(exact.data(), exact.data(), n));
      CHECK(std::abs(dot(&v[r * n], exact.data(), n)) / norm == doctest::Approx(1.0).epsilon(1e-10));
    }
  }
}

TEST_CASE("tridiagonal_eigenvectors: equal eigenvalues get orthonormal vectors of the right space") {
  // Three copies of the block [[2, 1], [1, 2]] (eigenvalues 3 and 1), split by zero off-diagonals.
  const std::vector<double> diag(6, 2.0), off{1, 0, 1, 0, 1};
  const std::vector<double> values{3, 3, 3, 1, 1};
  const auto v = csc::pca::tridiagonal_eigenvectors(diag, off, values, 4);
  check_orthonormal(v, values.size(), 6);
  for (std::size_t r = 0; r < values.size(); ++r) CHECK(residual(diag, off, &v[r * 6], values[r]) < 1e-12);
}

TEST_CASE("tridiagonal_eigenvectors: the zero matrix and bad sizes") {
  const auto v = csc::pca::tridiagonal_eigenvectors({0, 0, 0}, {0, 0}, {0, 0}, 1);
  check_orthonormal(v, 2, 3);
  CHECK_THROWS_AS(csc::pca::tridiagonal_eigenvectors({1, 2}, {}, {1}, 1), std::invalid_argument);
  CHECK_THROWS_AS(csc::pca::tridiagonal_eigenvectors({}, {}, {}, 1), std::invalid_argument);
}

TEST_CASE("tridiagonal_top_eigenvalues: closed forms, multiplicities, zero matrix, bad sizes") {
  for (std::size_t n : {1u, 2u, 7u, 300u}) {
    CAPTURE(n);
    const std::vector<double> diag(n, 2.0), off(n - 1, -1.0);
    const auto values = csc::pca::tridiagonal_top_eigenvalues(diag, off, n);
    REQUIRE(values.size() == n);
    for (std::size_t r = 0; r < n; ++r) {
      const double exact = 2.0 - 2.0 * std::cos(static_cast<double>(n - r) * M_PI / static_cast<double>(n + 1));
      CHECK(std::abs(values[r] - exact) < 1e-14);
    }
  }
  // Three copies of [[2, 1], [1, 2]] and a large offset: 1e6 + {3, 3, 3, 1, 1, 1}.
  const std::vector<double> block_diag(6, 1e6 + 2.0), block_off{1, 0, 1, 0, 1};
  const auto values = csc::pca::tridiagonal_top_eigenvalues(block_diag, block_off, 6);
  for (std::size_t r = 0; r < 6; ++r) CHECK(values[r] == doctest::Approx(1e6 + (r < 3 ? 3.0 : 1.0)).epsilon(1e-15));
  CHECK(csc::pca::tridiagonal_top_eigenvalues({0, 0, 0}, {0, 0}, 2) == std::vector<double>{0, 0});
  CHECK_THROWS_AS(csc::pca::tridiagonal_top_eigenvalues({1, 2}, {1}, 3), std::invalid_argument);
  CHECK_THROWS_AS(csc::pca::tridiagonal_top_eigenvalues({1, 2}, {}, 1), std::invalid_argument);
}

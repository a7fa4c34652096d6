// csc's PCA against scikit-learn's on real and planted data, every solver, float64 and float32.
// The expected numbers are in sklearn_reference.h (scripts/bench/pca_reference.py, scikit-learn 1.9.1).
#include <doctest/doctest.h>

#include <cmath>
#include <span>
#include <vector>

#include "kernels/pca/fit.h"
#include "tests/kernels/pca/sklearn_reference.h"
#include "tests/kernels/pca/synthetic.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::pca::FitOptions;
using csc::pca::PcaModel;
using csc::pca::Solver;
using csc::pca::test::Matrix;
namespace ref = csc::pca::reference;

struct Expected {
  std::span<const double> ratio, variance, singular;
  double noise;
  std::span<const double> component0, component1;
};
#define EXPECTED(ns) \
  Expected { ns::kExplainedVarianceRatio, ns::kExplainedVariance, ns::kSingularValues, ns::kNoiseVariance, ns::kComponent0, ns::kComponent1 }

struct Tolerance {
  double relative;   // explained variance (ratio), singular values, noise variance
  double component;  // absolute, per loading
  std::size_t checked = 0;  // leading values compared; 0 = all K
};
constexpr Tolerance kDouble{1e-6, 1e-6};
constexpr Tolerance kFloat{1e-4, 1e-3};

template <class T>
PcaModel fit(const Matrix& m, std::size_t k, Solver solver, bool scale = false, std::size_t power_iterations = 0) {
  std::vector<T> x(m.values.begin(), m.values.end());
  FitOptions options;
  options.n_components = k;
  options.solver = solver;
  options.scale = scale;
  if (power_iterations != 0) options.power_iterations = static_cast<int>(power_iterations);
  return csc::pca::fit_in_place(x.data(), m.rows, m.cols, m.cols, options);
}

void check(const PcaModel& model, const Expected& e, Tolerance tol) {
  const std::size_t k = e.ratio.size();
  REQUIRE(model.n_components == k);
  const std::size_t checked = tol.checked == 0 ? k : tol.checked;
  for (std::size_t i = 0; i < checked; ++i) {
    CAPTURE(i);
    CHECK(model.explained_variance_ratio[i] == doctest::Approx(e.ratio[i]).epsilon(tol.relative));
    CHECK(model.explained_variance[i] == doctest::Approx(e.variance[i]).epsilon(tol.relative));
    CHECK(model.singular_values[i] == doctest::Approx(e.singular[i]).epsilon(tol.relative));
  }
  if (tol.checked == 0) CHECK(model.noise_variance == doctest::Approx(e.noise).epsilon(tol.relative));
  const std::size_t d = model.n_features;
  for (std::size_t j = 0; j < e.component0.size(); ++j) {
    CAPTURE(j);
    CHECK(std::abs(model.components[j] - e.component0[j]) <= tol.component);
    CHECK(std::abs(model.components[d + j] - e.component1[j]) <= tol.component);
  }
}

}  // namespace

TEST_CASE("pca matches scikit-learn on the digits (1797 x 64)") {
  const Matrix digits = csc::pca::test::digits();
  REQUIRE(digits.rows == ref::digits::kRows);
  csc::test::for_each_simd_target([&] { check(fit<double>(digits, 20, Solver::gram), EXPECTED(ref::digits), kDouble); });
  check(fit<double>(digits, 20, Solver::svd), EXPECTED(ref::digits), kDouble);
  check(fit<double>(digits, 20, Solver::automatic), EXPECTED(ref::digits), kDouble);
  check(fit<float>(digits, 20, Solver::gram), EXPECTED(ref::digits), kFloat);
  check(fit<float>(digits, 20, Solver::svd), EXPECTED(ref::digits), kFloat);
  // Standardised, with the three constant pixel columns left unscaled (StandardScaler's behaviour).
  const PcaModel scaled = fit<double>(digits, 10, Solver::gram, true);
  check(scaled, EXPECTED(ref::digits_scaled), kDouble);
  CHECK(scaled.zero_variance_columns.size() >= 1);
  check(fit<double>(digits, 10, Solver::svd, true), EXPECTED(ref::digits_scaled), kDouble);
  check(fit<float>(digits, 10, Solver::gram, true), EXPECTED(ref::digits_scaled), kFloat);
}

TEST_CASE("pca matches scikit-learn on MAGIC gamma-telescope events (19020 x 10)") {
  const Matrix magic = csc::pca::test::magic();
  REQUIRE(magic.rows == ref::magic::kRows);
  for (Solver solver : {Solver::gram, Solver::svd, Solver::automatic}) {
    CAPTURE(csc::pca::solver_name(solver));
    check(fit<double>(magic, 10, solver), EXPECTED(ref::magic), kDouble);
    check(fit<double>(magic, 3, solver), EXPECTED(ref::magic_k3), kDouble);
    check(fit<double>(magic, 5, solver, true), EXPECTED(ref::magic_scaled), kDouble);
    check(fit<float>(magic, 10, solver), EXPECTED(ref::magic), kFloat);
    check(fit<float>(magic, 5, solver, true), EXPECTED(ref::magic_scaled), kFloat);
  }
}

TEST_CASE("pca matches scikit-learn on CMS Z->mumu events (10583 x 10)") {
  const Matrix cms = csc::pca::test::cms();
  REQUIRE(cms.rows == ref::cms::kRows);
  for (Solver solver : {Solver::gram, Solver::svd, Solver::automatic}) {
    CAPTURE(csc::pca::solver_name(solver));
    check(fit<double>(cms, 4, solver), EXPECTED(ref::cms), kDouble);
    check(fit<float>(cms, 4, solver), EXPECTED(ref::cms), kFloat);
  }
}

TEST_CASE("pca matches scikit-learn on planted low-rank + noise data, tall and wide") {
  const Matrix tall = csc::pca::test::planted(4000, 40, {50.0, 20.0, 8.0, 3.0}, 0.5, 42);
  const Matrix wide = csc::pca::test::planted(80, 2000, {50.0, 20.0, 8.0, 3.0}, 0.1, 7);
  for (Solver solver : {Solver::gram, Solver::svd, Solver::automatic}) {
    CAPTURE(csc::pca::solver_name(solver));
    check(fit<double>(tall, 6, solver), EXPECTED(ref::planted_tall), kDouble);
    check(fit<double>(wide, 6, solver), EXPECTED(ref::planted_wide), kDouble);
    check(fit<float>(tall, 6, solver), EXPECTED(ref::planted_tall), kFloat);
    check(fit<float>(wide, 6, solver), EXPECTED(ref::planted_wide), kFloat);
  }
  // d >> n: the Gram solver works on the 80 x 80 matrix X Xᵀ.
  CHECK(fit<double>(wide, 6, Solver::gram).gram_of_samples);
  CHECK_FALSE(fit<double>(tall, 6, Solver::gram).gram_of_samples);
}

TEST_CASE("randomized pca matches scikit-learn where the spectrum has a gap") {
  // The four planted directions stand well above the noise, so the range finder captures them to
  // rounding; the noise components (5 and 6) are only approximate, as with scikit-learn's randomized
  // solver, so only the first four values are compared.
  const Matrix tall = csc::pca::test::planted(4000, 40, {50.0, 20.0, 8.0, 3.0}, 0.5, 42);
  const Matrix wide = csc::pca::test::planted(80, 2000, {50.0, 20.0, 8.0, 3.0}, 0.1, 7);
  check(fit<double>(tall, 6, Solver::randomized), EXPECTED(ref::planted_tall), {1e-6, 1e-6, 4});
  check(fit<double>(wide, 6, Solver::randomized), EXPECTED(ref::planted_wide), {1e-6, 1e-6, 4});
  check(fit<float>(tall, 6, Solver::randomized), EXPECTED(ref::planted_tall), {1e-4, 1e-3, 4});
  // MAGIC's leading components are well separated too.
  const Matrix magic = csc::pca::test::magic();
  check(fit<double>(magic, 3, Solver::randomized), EXPECTED(ref::magic_k3), {1e-6, 1e-6, 3});
}

TEST_CASE("block Krylov pca matches scikit-learn's exact solver, the noise components included") {
  // Where the range finder stops short (components 5 and 6 of the noise), block Krylov iterates until
  // the Ritz values settle: all six values and axes agree at the exact solvers' tolerances.
  const Matrix tall = csc::pca::test::planted(4000, 40, {50.0, 20.0, 8.0, 3.0}, 0.5, 42);
  const Matrix wide = csc::pca::test::planted(80, 2000, {50.0, 20.0, 8.0, 3.0}, 0.1, 7);
  check(fit<double>(tall, 6, Solver::krylov), EXPECTED(ref::planted_tall), kDouble);
  check(fit<double>(wide, 6, Solver::krylov), EXPECTED(ref::planted_wide), kDouble);
  check(fit<float>(tall, 6, Solver::krylov), EXPECTED(ref::planted_tall), kFloat);
  check(fit<float>(wide, 6, Solver::krylov), EXPECTED(ref::planted_wide), kFloat);
  const Matrix magic = csc::pca::test::magic();
  check(fit<double>(magic, 3, Solver::krylov), EXPECTED(ref::magic_k3), kDouble);
}

// Edge cases and bad inputs of the fit: shapes, constant columns, K, variance targets, no centring.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "kernels/pca/fit.h"
#include "kernels/pca/preprocess.h"
#include "tests/kernels/pca/synthetic.h"

namespace {

using csc::pca::FitOptions;
using csc::pca::Solver;

csc::pca::PcaModel fit(std::vector<double> x, std::size_t n, std::size_t d, FitOptions options) {
  return csc::pca::fit_in_place(x.data(), n, d, d, options);
}

}  // namespace

TEST_CASE("fit rejects one row, no columns, non-finite values and all-constant data") {
  CHECK_THROWS_AS(fit({1.0, 2.0, 3.0}, 1, 3, {}), std::invalid_argument);
  CHECK_THROWS_AS(fit({}, 2, 0, {}), std::invalid_argument);
  CHECK_THROWS_AS(fit({1.0, NAN, 3.0, 4.0}, 2, 2, {}), std::invalid_argument);
  CHECK_THROWS_AS(fit({1.0, INFINITY, 3.0, 4.0}, 2, 2, {}), std::invalid_argument);
  CHECK_THROWS_AS(fit({5.0, 1.0, 5.0, 1.0, 5.0, 1.0}, 3, 2, {}), std::invalid_argument);
}

TEST_CASE("one column: a single component carrying all the variance") {
  for (Solver solver : {Solver::automatic, Solver::gram, Solver::svd, Solver::randomized, Solver::krylov}) {
    FitOptions options;
    options.n_components = 1;
    options.solver = solver;
    const auto model = fit({1.0, 2.0, 4.0, 7.0}, 4, 1, options);
    REQUIRE(model.n_components == 1);
    CHECK(model.components[0] == 1.0);
    CHECK(model.explained_variance_ratio[0] == doctest::Approx(1.0));
    // Sample variance of {1, 2, 4, 7}: mean 3.5, squares 6.25 + 2.25 + 0.25 + 12.25 = 21, / 3 = 7.
    CHECK(model.explained_variance[0] == doctest::Approx(7.0));
    CHECK(model.noise_variance == 0.0);
  }
}

TEST_CASE("K larger than min(n, d) is clipped; K == 0 means every component") {
  const auto m = csc::pca::test::planted(5, 9, {3.0, 1.0}, 0.1, 1);
  FitOptions options;
  options.n_components = 50;
  for (Solver solver : {Solver::gram, Solver::svd, Solver::randomized, Solver::krylov}) {
    options.solver = solver;
    const auto model = fit(m.values, 5, 9, options);
    CHECK(model.n_components == 5);
    // Centred data of 5 rows has rank 4: the fifth variance is zero, its component still a unit vector.
    CHECK(model.explained_variance[4] == doctest::Approx(0.0).scale(1.0).epsilon(1e-10));
    double norm = 0;
    for (std::size_t j = 0; j < 9; ++j) norm += model.components[4 * 9 + j] * model.components[4 * 9 + j];
    CHECK(norm == doctest::Approx(1.0));
    for (double v : model.explained_variance_ratio) CHECK(std::isfinite(v));
  }
  options.n_components = 0;
  options.solver = Solver::automatic;
  CHECK(fit(m.values, 5, 9, options).n_components == 5);
}

TEST_CASE("a variance target picks the smallest K exceeding it, as scikit-learn does") {
  // Planted variances 40, 10, 4, 1 (+ noise 0.09 in each of 30 columns): about 0.72, 0.9, 0.97 cumulated.
  const auto m = csc::pca::test::planted(20000, 30, {40.0, 10.0, 4.0, 1.0}, 0.3, 8);
  FitOptions options;
  for (Solver solver : {Solver::gram, Solver::svd, Solver::automatic}) {
    options.solver = solver;
    for (double target : {0.5, 0.8, 0.95, 1.0}) {
      options.variance_target = target;
      const auto model = fit(m.values, m.rows, m.cols, options);
      double sum = 0;
      for (std::size_t i = 0; i + 1 < model.n_components; ++i) sum += model.explained_variance_ratio[i];
      CAPTURE(target);
      CHECK(sum <= target);
      CHECK(sum + model.explained_variance_ratio.back() >= (target >= 1 ? 1 - 1e-12 : target));
    }
  }
  options.variance_target = 0.8;
  options.solver = Solver::gram;
  CHECK(fit(m.values, m.rows, m.cols, options).n_components == 2);
  options.solver = Solver::randomized;  // needs K up front: the Gram solver runs instead
  const auto model = fit(m.values, m.rows, m.cols, options);
  CHECK(model.solver == Solver::gram);
  CHECK(model.n_components == 2);
}

TEST_CASE("scaling leaves constant columns unscaled and reports them") {
  // Column 1 is constant; columns 0 and 2 have different units.
  std::vector<double> x;
  for (int i = 0; i < 40; ++i) {
    x.push_back(1000.0 * std::sin(i));
    x.push_back(3.0);
    x.push_back(0.001 * std::cos(3 * i));
  }
  FitOptions options;
  options.scale = true;
  options.n_components = 3;
  const auto model = fit(x, 40, 3, options);
  REQUIRE(model.zero_variance_columns.size() == 1);
  CHECK(model.zero_variance_columns[0] == 1);
  CHECK(model.scale[1] == 1.0);
  // Standardised columns have population variance 1, sample variance n / (n - 1): total 2 * 40/39.
  CHECK(model.total_variance == doctest::Approx(2.0 * 40 / 39));
  for (double v : model.explained_variance_ratio) CHECK(std::isfinite(v));
  CHECK(model.explained_variance[2] == doctest::Approx(0.0).scale(1.0).epsilon(1e-12));
}

TEST_CASE("make_preprocessing without centring uses the mean square about zero") {
  csc::linalg::ColumnStats stats;
  stats.rows = 3;
  stats.mean = {2.0};  // values 1, 2, 3
  stats.m2 = {2.0};
  stats.min = {1.0};
  stats.max = {3.0};
  stats.nonfinite = {0};
  const auto centred = csc::pca::make_preprocessing(stats, true, false);
  CHECK(centred.total_variance == doctest::Approx(1.0));
  const auto raw = csc::pca::make_preprocessing(stats, false, false);
  CHECK(raw.mean[0] == 0.0);
  CHECK(raw.total_variance == doctest::Approx(14.0 / 2));  // (1 + 4 + 9) / (n - 1)
  const auto scaled = csc::pca::make_preprocessing(stats, true, true);
  CHECK(scaled.scale[0] == doctest::Approx(std::sqrt(2.0 / 3)));
  CHECK(scaled.total_variance == doctest::Approx(1.5));  // n / (n - 1)
}

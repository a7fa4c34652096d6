// Hoffmann et al.'s Approach 3 on the 240 Chinchilla points: the 4500-start grid fit must land where
// the published replication's grid fit lands, whatever the thread count; --fix and --tie shrink the grid.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/fit/multistart_fit.h"
#include "kernels/fit/synthetic_data.h"
#include "tests/kernels/fit/chinchilla_points.h"

using namespace csc::fit;

namespace {
LogPoints chinchilla_points() {
  const auto columns = csc::test::load_chinchilla_240();
  return make_log_points(columns.n, columns.d, columns.loss);
}
}  // namespace

TEST_CASE("grid fit of the 240 Chinchilla points reproduces the replication's grid fit") {
  // Yardstick (issue 5): the 4500-start L-BFGS grid fit of Besiroglu et al.'s 240 points lands at
  // A = 477.8, B = 2143, E = 1.8172, alpha = 0.3473, beta = 0.3672, summed Huber objective 1.01827e-3.
  // Our own SciPy 1.17.1 run of the same procedure (scipy.optimize.minimize L-BFGS-B with the analytic
  // gradient from every start, scripts/bench/scale_fit_peer.py) gives A = 477.82486, B = 2143.4205,
  // E = 1.8172180, alpha = 0.34731038, beta = 0.3671725, objective = 0.001018274017803461.
  const LogPoints points = chinchilla_points();
  REQUIRE(points.size() == 240);
  const MultiStartResult fit = fit_start_grid(points, LseFitSetup{}, hoffmann_start_grid(), 2);
  const LawParams law = law_from_theta(fit.theta);
  CHECK(fit.starts == 4500);
  CHECK(fit.failed_starts == 0);
  CHECK(law.alpha == doctest::Approx(0.3473).epsilon(1e-3));
  CHECK(law.beta == doctest::Approx(0.3672).epsilon(1e-3));
  CHECK(law.E == doctest::Approx(1.8172).epsilon(1e-3));
  CHECK(law.A == doctest::Approx(477.8).epsilon(0.05));
  CHECK(law.B == doctest::Approx(2143).epsilon(0.05));
  CHECK(fit.objective == doctest::Approx(1.01827e-3).epsilon(1e-5));
  CHECK(fit.objective <= 0.001018274017803461 * (1 + 1e-9));  // never worse than SciPy's best start
  CHECK(fit.starts_at_best >= 100);
  for (bool edge : fit.best_starts_on_edge) CHECK_FALSE(edge);
  // The winning start is one of the grid's points.
  const StartGrid grid = hoffmann_start_grid();
  for (int j = 0; j < kParamCount; ++j) {
    const auto& axis = grid.values[j];
    CHECK(std::find(axis.begin(), axis.end(), fit.best_start_point[j]) != axis.end());
  }
}

TEST_CASE("the single-precision first phase finds the optimum of double precision throughout") {
  const LogPoints points = chinchilla_points();
  LseFitSetup exact;
  exact.single_precision_phase = false;
  const MultiStartResult mixed = fit_start_grid(points, LseFitSetup{}, hoffmann_start_grid(), 2);
  const MultiStartResult full = fit_start_grid(points, exact, hoffmann_start_grid(), 2);
  CHECK(mixed.objective == doctest::Approx(full.objective).epsilon(1e-12));
  for (int j = 0; j < kParamCount; ++j) CHECK(mixed.theta[j] == doctest::Approx(full.theta[j]).epsilon(1e-6));
  CHECK(full.starts_at_best >= mixed.starts_at_best);
  MESSAGE("starts within 1 ppm: " << mixed.starts_at_best << " (mixed), " << full.starts_at_best << " (double); "
          << "evaluations " << mixed.evaluations << " / " << full.evaluations);
}

TEST_CASE("grid fit does not depend on the thread count") {
  const LogPoints points = chinchilla_points();
  StartGrid grid = hoffmann_start_grid();
  grid.values[kLogA] = grid_axis(0, 25, 12.5);  // a smaller grid keeps the test quick
  grid.values[kLogB] = grid_axis(0, 25, 12.5);
  const MultiStartResult one = fit_start_grid(points, LseFitSetup{}, grid, 1);
  const MultiStartResult two = fit_start_grid(points, LseFitSetup{}, grid, 2);
  const MultiStartResult three = fit_start_grid(points, LseFitSetup{}, grid, 3);
  CHECK(one.theta == two.theta);
  CHECK(one.theta == three.theta);
  CHECK(one.objective == two.objective);
  CHECK(one.best_start == two.best_start);
  CHECK(one.starts_at_best == three.starts_at_best);
  CHECK(one.evaluations == two.evaluations);
}

TEST_CASE("--fix and --tie take parameters off the grid") {
  const LogPoints points = chinchilla_points();
  LseFitSetup setup;
  setup.constraints.fixed[kLogE] = std::log(1.8172180);
  setup.constraints.fixed[kAlpha] = 0.34731038;
  CHECK(start_count(setup, hoffmann_start_grid()) == 5 * 6 * 6);
  const MultiStartResult fixed = fit_start_grid(points, setup, hoffmann_start_grid(), 2);
  CHECK(fixed.theta[kLogE] == std::log(1.8172180));
  CHECK(fixed.theta[kAlpha] == 0.34731038);
  // Fixing two parameters at their optimum leaves the optimum of the rest where it was.
  const LawParams law = law_from_theta(fixed.theta);
  CHECK(law.beta == doctest::Approx(0.3671725).epsilon(1e-4));
  CHECK(law.A == doctest::Approx(477.82486).epsilon(1e-3));
  CHECK(fixed.objective == doctest::Approx(0.001018274017803461).epsilon(1e-7));

  LseFitSetup tied;
  tied.constraints.tie_alpha_beta = true;
  CHECK(start_count(tied, hoffmann_start_grid()) == 5 * 5 * 6 * 6);
  const MultiStartResult t = fit_start_grid(points, tied, hoffmann_start_grid(), 2);
  CHECK(t.theta[kAlpha] == t.theta[kBeta]);
  CHECK(t.objective >= 0.001018274017803461 * (1 - 1e-9));  // a constrained fit cannot beat the free one
}

TEST_CASE("grid fit recovers Hoffmann's law from synthetic IsoFLOP runs") {
  // 135 runs from E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28 with 0.5% log-normal noise.
  const LawParams truth = kHoffmann2022;
  const SyntheticRuns runs = synthetic_isoflop_runs(truth, 42, 0.005);
  const LogPoints points = make_log_points(runs.n, runs.d, runs.loss);
  const MultiStartResult fit = fit_start_grid(points, LseFitSetup{}, hoffmann_start_grid(), 2);
  const LawParams law = law_from_theta(fit.theta);
  CHECK(law.E == doctest::Approx(truth.E).epsilon(0.03));
  CHECK(law.alpha == doctest::Approx(truth.alpha).epsilon(0.1));
  CHECK(law.beta == doctest::Approx(truth.beta).epsilon(0.1));
}

TEST_CASE("grid_axis and the default grid") {
  CHECK(grid_axis(0, 2, 0.5) == std::vector<double>{0, 0.5, 1, 1.5, 2});
  CHECK(grid_axis(-1, 1, 0.5).size() == 5);
  CHECK(grid_axis(0, 25, 5).size() == 6);
  CHECK(grid_axis(0.1, 0.3, 0.1).size() == 3);  // rounding must not drop the last value
  CHECK(grid_axis(3, 3, 1) == std::vector<double>{3});
  CHECK_THROWS_AS(grid_axis(0, 1, 0), std::invalid_argument);
  CHECK_THROWS_AS(grid_axis(1, 0, 0.5), std::invalid_argument);
  CHECK_THROWS_AS(grid_axis(0, 1e9, 1e-3), std::invalid_argument);
  CHECK(start_count(LseFitSetup{}, hoffmann_start_grid()) == 4500);
}

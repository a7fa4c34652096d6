// Resampling is reproducible and thread-independent; intervals match numpy; coverage on synthetic data;
// the Chinchilla refits do not depend on the thread count.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "kernels/fit/bootstrap.h"
#include "kernels/fit/bootstrap_fits.h"
#include "kernels/fit/huber_lse_objective.h"
#include "kernels/fit/power_fit.h"
#include "kernels/fit/random.h"
#include "tests/kernels/fit/chinchilla_points.h"

using namespace csc::fit;

TEST_CASE("resample_counts draws n rows with replacement, reproducibly per (seed, index)") {
  for (std::size_t n : {1, 2, 7, 240}) {
    const auto counts = resample_counts(n, 5, 3);
    CHECK(counts.size() == n);
    CHECK(std::accumulate(counts.begin(), counts.end(), 0u) == n);
    CHECK(resample_counts(n, 5, 3) == counts);
  }
  CHECK(resample_counts(240, 5, 3) != resample_counts(240, 5, 4));
  CHECK(resample_counts(240, 5, 3) != resample_counts(240, 6, 3));
  CHECK(resample_counts(0, 1, 0).empty());
}

TEST_CASE("Random draws are uniform and normal enough") {
  Random random(1, 0);
  double sum = 0, squares = 0;
  std::vector<int> buckets(10, 0);
  for (int i = 0; i < 100000; ++i) {
    const double z = random.normal();
    sum += z, squares += z * z;
    ++buckets[random.below(10)];
  }
  CHECK(sum / 100000 == doctest::Approx(0).scale(1).epsilon(0.02));
  CHECK(squares / 100000 == doctest::Approx(1).epsilon(0.02));
  for (int b : buckets) CHECK(std::abs(b - 10000) < 500);
}

TEST_CASE("run_bootstrap gives the same rows for any thread count") {
  const auto fit = [](std::span<const unsigned> counts, std::span<double> out) {
    double s = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) s += counts[i] * static_cast<double>(i);
    out[0] = s, out[1] = counts[0];
  };
  BootstrapOptions options;
  options.resamples = 50;
  options.seed = 9;
  options.threads = 1;
  const auto one = run_bootstrap(17, 2, options, fit);
  options.threads = 2;
  const auto two = run_bootstrap(17, 2, options, fit);
  options.threads = 4;
  const auto four = run_bootstrap(17, 2, options, fit);
  CHECK(one.size() == 100);
  CHECK(one == two);
  CHECK(one == four);
}

TEST_CASE("run_bootstrap stops when cancelled") {
  BootstrapOptions options;
  options.resamples = 1000;
  options.cancelled = [] { return true; };
  const auto rows = run_bootstrap(5, 1, options, [](std::span<const unsigned>, std::span<double> out) { out[0] = 1; });
  CHECK(rows.empty());
}

TEST_CASE("percentile_interval matches numpy.percentile and the ddof=1 standard deviation") {
  // numpy 2.4.6: percentile([3,1,4,1,5,9,2,6,5,3,5], [2.5, 97.5]) = [1, 8.25]; std(ddof=1) = 2.3664319132398464.
  const std::vector<double> samples = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, NAN};
  const IntervalEstimate e = percentile_interval(samples, 0.95);
  CHECK(e.samples == 11);
  CHECK(e.lower == doctest::Approx(1.0));
  CHECK(e.upper == doctest::Approx(8.25));
  CHECK(e.standard_error == doctest::Approx(2.3664319132398464).epsilon(1e-14));
  CHECK(std::isnan(percentile_interval(std::vector<double>{1.0}, 0.9).lower));
  CHECK_THROWS_AS(percentile_interval(samples, 1.0), std::invalid_argument);
}

TEST_CASE("bootstrap percentile intervals of a power-law exponent cover the truth in most seeds") {
  int covered = 0;
  const int trials = 40;
  for (std::uint64_t seed = 1; seed <= trials; ++seed) {
    Random random(seed, 1000);
    std::vector<double> lx, ly;
    for (int i = 0; i < 40; ++i) {
      lx.push_back(std::log(std::pow(10.0, 2 + 0.1 * i)));
      ly.push_back(std::log(2.0) - 0.3 * lx.back() + 0.05 * random.normal());
    }
    BootstrapOptions options;
    options.resamples = 400;
    options.seed = seed;
    const auto rows = run_bootstrap(lx.size(), 1, options, [&](std::span<const unsigned> counts, std::span<double> out) {
      const std::vector<double> w(counts.begin(), counts.end());
      out[0] = fit_power(lx, ly, w).b;
    });
    const IntervalEstimate e = percentile_interval(rows, 0.95);
    covered += e.lower <= -0.3 && -0.3 <= e.upper;
  }
  CHECK(covered >= 32);  // nominal 38 of 40; binomial(40, 0.95) falls below 33 with probability < 1%
}

TEST_CASE("Chinchilla bootstrap refits are reproducible across thread counts, from the best or from a grid") {
  const auto columns = csc::test::load_chinchilla_240();
  const LogPoints points = make_log_points(columns.n, columns.d, columns.loss);
  const LseFitSetup setup;
  const Theta best = {6.1692464, 7.6701567, 0.5973068, 0.3473105, 0.3671724};  // the full-data grid fit
  StartGrid grid = hoffmann_start_grid();
  grid.values[kLogA] = grid_axis(0, 25, 12.5);
  grid.values[kLogB] = grid_axis(0, 25, 12.5);
  BootstrapOptions options;
  options.resamples = 6;
  options.seed = 11;
  const StartGrid* grids[] = {nullptr, &grid};
  for (const StartGrid* g : grids) {
    options.threads = 1;
    const std::vector<Theta> one = bootstrap_lse_fit(points, setup, best, g, options);
    options.threads = 2;
    const std::vector<Theta> two = bootstrap_lse_fit(points, setup, best, g, options);
    REQUIRE(one.size() == 6);
    CHECK(one == two);
    for (const Theta& t : one) {
      CHECK(std::isfinite(t[kAlpha]));
      CHECK(t[kAlpha] == doctest::Approx(0.347).epsilon(0.25));  // resamples scatter around the full fit
    }
  }
}

TEST_CASE("select_weighted keeps the points a resample drew, weighted by their counts") {
  const std::vector<double> n = {1, 2, 3, 4}, d = {5, 6, 7, 8}, loss = {2, 3, 4, 5};
  const LogPoints points = make_log_points(n, d, loss);
  const std::vector<unsigned> counts = {2, 0, 1, 1};
  const LogPoints kept = select_weighted(points, counts);
  REQUIRE(kept.size() == 3);
  CHECK(kept.weight == std::vector<double>{2, 1, 1});
  CHECK(kept.log_n[1] == std::log(3.0));
  // The weighted objective equals the objective of the resample written out row by row.
  const std::vector<double> rn = {1, 1, 3, 4}, rd = {5, 5, 7, 8}, rl = {2, 2, 4, 5};
  const Theta theta = {1.0, 2.0, 0.3, 0.5, 0.4};
  CHECK(huber_lse_objective(kept, 2, theta, 1e-3, nullptr) ==
        doctest::Approx(huber_lse_objective(make_log_points(rn, rd, rl), 2, theta, 1e-3, nullptr)).epsilon(1e-13));
  CHECK_THROWS_AS(select_weighted(points, std::vector<unsigned>{1, 2}), std::invalid_argument);
}

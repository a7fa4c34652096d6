// The generated data sets follow the law they come from.
#include <doctest/doctest.h>

#include <cmath>

#include "kernels/fit/allocation.h"
#include "kernels/fit/synthetic_data.h"

using namespace csc::fit;

TEST_CASE("noise-free IsoFLOP runs lie on the law, budget by budget") {
  const SyntheticRuns runs = synthetic_isoflop_runs(kHoffmann2022, 1, 0.0, 3, 4, 1e19, 1e21);
  REQUIRE(runs.n.size() == 12);
  for (std::size_t i = 0; i < runs.n.size(); ++i)
    CHECK(runs.loss[i] == doctest::Approx(law_loss(kHoffmann2022, runs.n[i], runs.d[i])).epsilon(1e-14));
  CHECK(6 * runs.n[0] * runs.d[0] == doctest::Approx(1e19).epsilon(1e-12));
  CHECK(6 * runs.n[11] * runs.d[11] == doctest::Approx(1e21).epsilon(1e-12));
  CHECK(runs.n[3] / runs.n[0] == doctest::Approx(64).epsilon(1e-12));
}

TEST_CASE("noise is seeded and multiplicative") {
  const SyntheticRuns a = synthetic_isoflop_runs(kHoffmann2022, 7, 0.01);
  const SyntheticRuns b = synthetic_isoflop_runs(kHoffmann2022, 7, 0.01);
  const SyntheticRuns c = synthetic_isoflop_runs(kHoffmann2022, 8, 0.01);
  CHECK(a.loss == b.loss);
  CHECK(a.loss != c.loss);
  double squares = 0;
  for (std::size_t i = 0; i < a.loss.size(); ++i) {
    const double r = std::log(a.loss[i] / law_loss(kHoffmann2022, a.n[i], a.d[i]));
    squares += r * r;
  }
  CHECK(std::sqrt(squares / a.loss.size()) == doctest::Approx(0.01).epsilon(0.25));
}

TEST_CASE("the frontier is E + K C^-gamma") {
  const LawParams h = kHoffmann2022;
  const SyntheticCurve full = synthetic_frontier(h, 1, 0.0, false, 5);
  const SyntheticCurve reducible = synthetic_frontier(h, 1, 0.0, true, 5);
  const double gamma = h.alpha * h.beta / (h.alpha + h.beta);
  const double ratio = reducible.y[4] / reducible.y[0];
  CHECK(ratio == doctest::Approx(std::pow(full.x[4] / full.x[0], -gamma)).epsilon(1e-12));
  CHECK(full.y[2] - reducible.y[2] == doctest::Approx(h.E).epsilon(1e-14));
  CHECK(full.y[2] == doctest::Approx(compute_optimal(h, full.x[2]).loss).epsilon(1e-14));
}

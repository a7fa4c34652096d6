// E + A x^-alpha fitted on log y, against SciPy's curve_fit and on synthetic data.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "kernels/fit/power_offset_fit.h"
#include "kernels/fit/synthetic_data.h"

using namespace csc::fit;

namespace {
LogPoints curve_points(const std::vector<double>& x, const std::vector<double>& y) {
  return make_log_points(x, {}, y);
}
}  // namespace

TEST_CASE("fit_power_offset agrees with scipy.optimize.curve_fit in log space") {
  // scipy 1.17.1: curve_fit(lambda lx, e, a, alpha: logaddexp(e, a - alpha * lx), log x, log y,
  // p0 = [log 2, log 10, 0.5]) -> E = 1.96676845455, A = 10.2337940056, alpha = 0.487918379294; the
  // delta-method standard errors from pcov: se_E = 0.007071854725, se_A = 0.1942017842,
  // se_alpha = 0.006262403678; residual sum of squares 0.000215298601384633.
  const std::vector<double> x = {1e1, 3e1, 1e2, 3e2, 1e3, 3e3, 1e4, 3e4, 1e5, 3e5};
  const std::vector<double> y = {5.3, 3.9, 3.05, 2.62, 2.31, 2.16, 2.09, 2.02, 2.015, 1.99};
  const PowerOffsetFit fit = fit_power_offset(curve_points(x, y), PowerOffsetSetup{});
  const LawParams law = law_from_theta(fit.theta);
  CHECK(law.E == doctest::Approx(1.96676845455).epsilon(1e-6));
  CHECK(law.A == doctest::Approx(10.2337940056).epsilon(1e-6));
  CHECK(law.alpha == doctest::Approx(0.487918379294).epsilon(1e-6));
  CHECK(2 * fit.objective == doctest::Approx(0.000215298601384633).epsilon(1e-8));
  CHECK(fit.se_E == doctest::Approx(0.007071854725).epsilon(1e-4));
  CHECK(fit.se_A == doctest::Approx(0.1942017842).epsilon(1e-4));
  CHECK(fit.se_alpha == doctest::Approx(0.006262403678).epsilon(1e-4));
  CHECK(fit.starts == 30);
  CHECK(fit.starts_at_best >= 1);
}

TEST_CASE("fit_power_offset recovers the Hoffmann frontier exactly without noise") {
  // Along the compute-optimal frontier L = E + K C^-gamma, gamma = alpha beta / (alpha + beta).
  const LawParams h = kHoffmann2022;
  const SyntheticCurve curve = synthetic_frontier(h, 1, 0.0, false);
  const PowerOffsetFit fit = fit_power_offset(curve_points(curve.x, curve.y), PowerOffsetSetup{});
  const LawParams law = law_from_theta(fit.theta);
  CHECK(law.E == doctest::Approx(h.E).epsilon(1e-6));
  CHECK(law.alpha == doctest::Approx(h.alpha * h.beta / (h.alpha + h.beta)).epsilon(1e-6));
}

TEST_CASE("fit_power_offset intervals cover the truth on noisy synthetic curves") {
  const LawParams h = kHoffmann2022;
  const double gamma = h.alpha * h.beta / (h.alpha + h.beta);
  int covered = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const SyntheticCurve curve = synthetic_frontier(h, seed, 0.01, false);
    const PowerOffsetFit fit = fit_power_offset(curve_points(curve.x, curve.y), PowerOffsetSetup{});
    const LawParams law = law_from_theta(fit.theta);
    covered += std::abs(law.alpha - gamma) <= 1.96 * fit.se_alpha;
  }
  CHECK(covered >= 15);  // nominal 95% of 20
}

TEST_CASE("fit_power_offset honours fixed parameters and refits from a start") {
  const std::vector<double> x = {1e1, 3e1, 1e2, 3e2, 1e3, 3e3, 1e4, 3e4, 1e5, 3e5};
  const std::vector<double> y = {5.3, 3.9, 3.05, 2.62, 2.31, 2.16, 2.09, 2.02, 2.015, 1.99};
  PowerOffsetSetup setup;
  setup.constraints.fixed[kLogE] = std::log(2.0);
  const PowerOffsetFit fixed_e = fit_power_offset(curve_points(x, y), setup);
  CHECK(law_from_theta(fixed_e.theta).E == doctest::Approx(2.0).epsilon(1e-14));
  CHECK(fixed_e.se_E == 0);
  PowerOffsetSetup fix_a;
  fix_a.constraints.fixed[kLogA] = std::log(10.0);
  const PowerOffsetFit fixed_a = fit_power_offset(curve_points(x, y), fix_a);
  CHECK(law_from_theta(fixed_a.theta).A == doctest::Approx(10.0).epsilon(1e-14));

  const PowerOffsetFit full = fit_power_offset(curve_points(x, y), PowerOffsetSetup{});
  const PowerOffsetFit again = refit_power_offset(curve_points(x, y), PowerOffsetSetup{}, full.theta);
  CHECK(again.objective == doctest::Approx(full.objective).epsilon(1e-9));
  CHECK(again.theta[kAlpha] == doctest::Approx(full.theta[kAlpha]).epsilon(1e-6));
}

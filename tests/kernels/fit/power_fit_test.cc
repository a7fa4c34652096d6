// The log-space power-law fit against SciPy's linregress and on exact data.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "kernels/fit/power_fit.h"
#include "kernels/fit/random.h"

using namespace csc::fit;

namespace {
std::vector<double> logs(const std::vector<double>& v) {
  std::vector<double> out;
  for (double x : v) out.push_back(std::log(x));
  return out;
}
}  // namespace

TEST_CASE("fit_power agrees with scipy.stats.linregress on log-log data") {
  // scipy 1.17.1: linregress(log x, log y) -> slope 0.991273628531242, intercept 0.714278229184774,
  // stderr 0.0138999099475999, intercept_stderr 0.0259777229115596, r^2 0.999017844804509.
  const std::vector<double> x = {1, 2, 3, 5, 8, 13, 21}, y = {2.1, 3.9, 6.2, 9.8, 16.5, 25.0, 43.0};
  const PowerFit fit = fit_power(logs(x), logs(y));
  CHECK(fit.b == doctest::Approx(0.991273628531242).epsilon(1e-12));
  CHECK(std::log(fit.a) == doctest::Approx(0.714278229184774).epsilon(1e-12));
  CHECK(fit.se_b == doctest::Approx(0.0138999099475999).epsilon(1e-10));
  CHECK(fit.se_log_a == doctest::Approx(0.0259777229115596).epsilon(1e-10));
  CHECK(fit.se_a == doctest::Approx(fit.a * 0.0259777229115596).epsilon(1e-10));
  CHECK(fit.r2_log == doctest::Approx(0.999017844804509).epsilon(1e-12));
}

TEST_CASE("fit_power recovers an exact power law and weights act as repeated rows") {
  std::vector<double> lx, ly;
  for (double x : {1e3, 1e4, 1e5, 1e6}) lx.push_back(std::log(x)), ly.push_back(std::log(7.5 * std::pow(x, -0.076)));
  const PowerFit exact = fit_power(lx, ly);
  CHECK(exact.a == doctest::Approx(7.5).epsilon(1e-12));
  CHECK(exact.b == doctest::Approx(-0.076).epsilon(1e-12));
  CHECK(exact.rss_log == doctest::Approx(0).scale(1));

  const std::vector<double> x = {1, 2, 3}, y = {1, 5, 4};
  const std::vector<double> repeated_x = {1, 2, 2, 3}, repeated_y = {1, 5, 5, 4};
  const PowerFit weighted = fit_power(logs(x), logs(y), std::vector<double>{1, 2, 1});
  const PowerFit repeated = fit_power(logs(repeated_x), logs(repeated_y));
  CHECK(weighted.b == doctest::Approx(repeated.b).epsilon(1e-14));
  CHECK(weighted.a == doctest::Approx(repeated.a).epsilon(1e-14));
}

TEST_CASE("fit_power recovers noisy synthetic parameters within a few standard errors") {
  int covered = 0;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Random random(seed, 0);
    std::vector<double> lx, ly;
    for (int i = 0; i < 30; ++i) {
      const double x = std::pow(10.0, 3 + 0.1 * i);
      lx.push_back(std::log(x));
      ly.push_back(std::log(3.2 * std::pow(x, -0.35)) + 0.02 * random.normal());
    }
    const PowerFit fit = fit_power(lx, ly);
    covered += std::abs(fit.b + 0.35) <= 1.96 * fit.se_b;
    CHECK(std::abs(fit.b + 0.35) < 5 * fit.se_b);
  }
  CHECK(covered >= 15);  // nominal 95% of 20
}

TEST_CASE("fit_power rejects degenerate input") {
  CHECK_THROWS_AS(fit_power(std::vector<double>{1.0}, std::vector<double>{1.0}), std::invalid_argument);
  CHECK_THROWS_AS(fit_power(std::vector<double>{1.0, 1.0}, std::vector<double>{1.0, 2.0}), std::invalid_argument);
  CHECK_THROWS_AS(fit_power(std::vector<double>{1.0, 2.0}, std::vector<double>{1.0}), std::invalid_argument);
  const PowerFit two = fit_power(std::vector<double>{0.0, 1.0}, std::vector<double>{0.0, 2.0});
  CHECK(two.b == 2.0);
  CHECK(std::isnan(two.se_b));  // no residual degrees of freedom
}

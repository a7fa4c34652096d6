// The vectorised Huber/LSE objective against a plain scalar reference on every SIMD target, its
// gradient against finite differences, and its value on the Chinchilla points against SciPy.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <random>
#include <vector>

#include "kernels/fit/huber_lse_objective.h"
#include "tests/kernels/fit/chinchilla_points.h"
#include "tests/support/simd_targets.h"

using namespace csc::fit;

namespace {

// Straight from the definition, one point at a time, with the usual max-shifted log-sum-exp.
double reference_objective(const LogPoints& p, int terms, const Theta& t, double delta, Theta& grad) {
  double f = 0;
  grad.fill(0);
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double u[3] = {t[kLogA] - t[kAlpha] * p.log_n[i],
                         terms == 2 ? t[kLogB] - t[kBeta] * p.log_d[i] : -INFINITY, t[kLogE]};
    const double m = std::max({u[0], u[1], u[2]});
    const double e[3] = {std::exp(u[0] - m), std::exp(u[1] - m), std::exp(u[2] - m)};
    const double s = e[0] + e[1] + e[2];
    const double r = m + std::log(s) - p.log_loss[i];
    const double dh = std::abs(r) <= delta ? r : std::copysign(delta, r);
    f += p.weight[i] * (std::abs(r) <= delta ? 0.5 * r * r : delta * (std::abs(r) - 0.5 * delta));
    const double q = p.weight[i] * dh / s;
    grad[kLogA] += q * e[0];
    grad[kAlpha] -= q * e[0] * p.log_n[i];
    grad[kLogB] += q * e[1];
    grad[kBeta] -= terms == 2 ? q * e[1] * p.log_d[i] : 0.0;
    grad[kLogE] += q * e[2];
  }
  return f;
}

LogPoints random_points(std::size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> log_n(18, 24), log_d(20, 27), loss(1.9, 4.0), weight(0, 3);
  LogPoints p;
  for (std::size_t i = 0; i < n; ++i) {
    p.log_n.push_back(log_n(rng));
    p.log_d.push_back(log_d(rng));
    p.log_loss.push_back(std::log(loss(rng)));
    p.weight.push_back(std::floor(weight(rng)));
  }
  return p;
}

}  // namespace

TEST_CASE("huber_lse_objective matches the scalar reference on every SIMD target") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> a(0, 25), e(-1, 1), exponent(0, 2);
  for (std::size_t n : {0, 1, 3, 7, 8, 9, 16, 17, 31, 240}) {
    const LogPoints p = random_points(n, rng);
    for (int terms : {1, 2}) {
      for (double delta : {1e-3, 0.1, double(INFINITY)}) {
        const Theta theta = {a(rng), a(rng), e(rng), exponent(rng), exponent(rng)};
        Theta want_grad;
        const double want = reference_objective(p, terms, theta, delta, want_grad);
        csc::test::for_each_simd_target([&] {
          CAPTURE(n);
          CAPTURE(terms);
          CAPTURE(delta);
          Theta grad;
          const double got = huber_lse_objective(p, terms, theta, delta, &grad);
          CHECK(got == doctest::Approx(want).epsilon(1e-12));
          for (int j = 0; j < kParamCount; ++j) CHECK(grad[j] == doctest::Approx(want_grad[j]).epsilon(1e-11).scale(1e-14));
          if (terms == 1) CHECK((grad[kLogB] == 0 && grad[kBeta] == 0));
        });
      }
    }
  }
}

TEST_CASE("the single-precision objective tracks the reference to float accuracy on every SIMD target") {
  // Residuals carry about 1e-6 of float rounding, so with delta = 1e-3 the sums agree to ~1e-4 relative.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> a(0, 25), e(-1, 1), exponent(0, 2);
  for (std::size_t n : {1, 15, 16, 17, 33, 240}) {
    const LogPoints p = random_points(n, rng);
    const LogPointsF single = to_single(p);
    for (int terms : {1, 2}) {
      const Theta theta = {a(rng), a(rng), e(rng), exponent(rng), exponent(rng)};
      Theta want_grad;
      const double want = reference_objective(p, terms, theta, 1e-3, want_grad);
      double scale = 0;
      for (double g : want_grad) scale = std::max(scale, std::abs(g));
      csc::test::for_each_simd_target([&] {
        CAPTURE(n);
        CAPTURE(terms);
        Theta grad;
        CHECK(huber_lse_objective(single, terms, theta, 1e-3, &grad) == doctest::Approx(want).epsilon(1e-4));
        for (int j = 0; j < kParamCount; ++j) CHECK(std::abs(grad[j] - want_grad[j]) <= 1e-4 * scale + 1e-9);
      });
    }
  }
}

TEST_CASE("huber_lse_objective stays exact when one term dwarfs E by more than e^700") {
  // e = -800 with a - alpha log N near 0: the kernel must leave its E-relative shortcut for these lanes.
  std::mt19937_64 rng(11);
  const LogPoints p = random_points(19, rng);
  const Theta theta = {20.0, 18.0, -800.0, 0.9, 0.6};
  Theta want_grad, grad;
  const double want = reference_objective(p, 2, theta, 1e-3, want_grad);
  csc::test::for_each_simd_target([&] {
    CHECK(huber_lse_objective(p, 2, theta, 1e-3, &grad) == doctest::Approx(want).epsilon(1e-12));
    for (int j = 0; j < kParamCount; ++j) CHECK(grad[j] == doctest::Approx(want_grad[j]).epsilon(1e-11).scale(1e-14));
  });
  // In single precision the switch happens past e^80.
  const Theta near = {20.0, 18.0, -90.0, 0.5, 0.4};
  const double want_near = reference_objective(p, 2, near, 1e-3, want_grad);
  csc::test::for_each_simd_target([&] {
    CHECK(huber_lse_objective(to_single(p), 2, near, 1e-3, &grad) == doctest::Approx(want_near).epsilon(1e-5));
  });
}

TEST_CASE("huber_lse_objective returns +inf for a non-finite theta and rejects bad term counts") {
  std::mt19937_64 rng(3);
  const LogPoints p = random_points(5, rng);
  Theta grad;
  CHECK(std::isinf(huber_lse_objective(p, 2, {NAN, 0, 0, 0, 0}, 1e-3, &grad)));
  CHECK(std::isinf(huber_lse_objective(p, 2, {0, 0, INFINITY, 0, 0}, 1e-3, &grad)));
  CHECK(grad == Theta{});
  CHECK_THROWS_AS(huber_lse_objective(p, 3, {}, 1e-3, &grad), std::invalid_argument);
}

TEST_CASE("huber_lse_objective on the 240 Chinchilla points agrees with SciPy") {
  // scipy 1.17.1 / numpy 2.4.6 (.venv-bench): huber(1e-3, logsumexp([a - alpha log N, b - beta log D, e])
  // - log L).sum() at theta0 = (6.0, 7.5, 0.6, 0.35, 0.37) = 0.015050102780040459; its central
  // differences (h = 1e-6) give the gradient below; with delta = inf, 0.5 * sum(r^2) = 0.51804427062791625.
  const auto columns = csc::test::load_chinchilla_240();
  const LogPoints p = make_log_points(columns.n, columns.d, columns.loss);
  const Theta theta0 = {6.0, 7.5, 0.6, 0.35, 0.37};
  Theta grad;
  CHECK(huber_lse_objective(p, 2, theta0, 1e-3, &grad) == doctest::Approx(0.015050102780040459).epsilon(1e-12));
  const double scipy_grad[] = {-0.03131812818, -0.03071018186, -0.17797169, 0.6308238208, 0.7110850836};
  for (int j = 0; j < kParamCount; ++j) CHECK(grad[j] == doctest::Approx(scipy_grad[j]).epsilon(1e-6));
  CHECK(huber_lse_objective(p, 2, theta0, INFINITY, nullptr) == doctest::Approx(0.51804427062791625).epsilon(1e-12));
}

TEST_CASE("make_log_points rejects non-positive, non-finite and ragged input") {
  const std::vector<double> ok = {1, 2}, zero = {1, 0}, nan = {1, NAN}, one = {1};
  CHECK_THROWS_AS(make_log_points(ok, ok, zero), std::invalid_argument);
  CHECK_THROWS_AS(make_log_points(nan, ok, ok), std::invalid_argument);
  CHECK_THROWS_AS(make_log_points(ok, one, ok), std::invalid_argument);
  CHECK_NOTHROW(make_log_points(ok, {}, ok));
}

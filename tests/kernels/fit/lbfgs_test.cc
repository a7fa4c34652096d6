// The small L-BFGS minimiser on textbook problems, and against LBFGSpp on the Chinchilla objective.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include <Eigen/Core>
#include <LBFGS.h>

#include "kernels/fit/huber_lse_objective.h"
#include "kernels/fit/lbfgs.h"
#include "tests/kernels/fit/chinchilla_points.h"

using namespace csc::fit;

TEST_CASE("minimize_lbfgs finds the Rosenbrock minimum from (-1.2, 1)") {
  int calls = 0;
  const auto rosenbrock = [&](const double* x, double* g) {
    ++calls;
    const double a = 1 - x[0], b = x[1] - x[0] * x[0];
    g[0] = -2 * a - 400 * x[0] * b;
    g[1] = 200 * b;
    return a * a + 100 * b * b;
  };
  double x[2] = {-1.2, 1.0};
  LbfgsOptions options;
  options.gradient_tolerance = 1e-10;
  options.relative_decrease = 0;
  const LbfgsResult r = minimize_lbfgs(rosenbrock, x, 2, options);
  CHECK(r.status == LbfgsStatus::converged_gradient);
  CHECK(x[0] == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(x[1] == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(r.objective < 1e-18);
  CHECK(r.evaluations == calls);
  MESSAGE("Rosenbrock: " << r.iterations << " iterations, " << r.evaluations << " evaluations");
}

TEST_CASE("minimize_lbfgs solves an ill-conditioned quadratic in 5 dimensions") {
  const double scale[5] = {1, 10, 100, 1e3, 1e4};
  const auto quadratic = [&](const double* x, double* g) {
    double f = 0;
    for (int i = 0; i < 5; ++i) {
      const double d = x[i] - (i + 1);
      f += 0.5 * scale[i] * d * d;
      g[i] = scale[i] * d;
    }
    return f;
  };
  double x[5] = {};
  LbfgsOptions options;
  options.gradient_tolerance = 1e-9;
  options.relative_decrease = 0;
  const LbfgsResult r = minimize_lbfgs(quadratic, x, 5, options);
  CHECK(r.status == LbfgsStatus::converged_gradient);
  for (int i = 0; i < 5; ++i) CHECK(x[i] == doctest::Approx(i + 1).epsilon(1e-9));
}

TEST_CASE("minimize_lbfgs keeps the best point when the objective turns non-finite") {
  // f = x^2 for x > -1, NaN beyond: a start at 5 must still reach 0 without stepping into the NaN region
  // for good, and a NaN start is reported as such.
  const auto guarded = [](const double* x, double* g) {
    if (x[0] < -1) return double(NAN);
    g[0] = 2 * x[0];
    return x[0] * x[0];
  };
  double x[1] = {5};
  LbfgsOptions options;
  options.gradient_tolerance = 1e-12;
  const LbfgsResult r = minimize_lbfgs(guarded, x, 1, options);
  CHECK(std::abs(x[0]) < 1e-6);
  CHECK(std::isfinite(r.objective));
  double bad[1] = {-3};
  const LbfgsResult nan_start = minimize_lbfgs(guarded, bad, 1, options);
  CHECK(nan_start.status == LbfgsStatus::non_finite_start);
  CHECK(bad[0] == -3);
}

TEST_CASE("minimize_lbfgs rejects bad dimensions") {
  const auto f = [](const double*, double*) { return 0.0; };
  double x[1] = {0};
  CHECK_THROWS_AS(minimize_lbfgs(f, x, 0, LbfgsOptions{}), std::invalid_argument);
  CHECK_THROWS_AS(minimize_lbfgs(f, x, kLbfgsMaxDim + 1, LbfgsOptions{}), std::invalid_argument);
}

TEST_CASE("minimize_lbfgs and LBFGSpp reach the same Chinchilla minimum from the same starts") {
  // LBFGSpp 0.1.0 as TOOLCHAIN.md section 9 recommends it: bracketing line search, strong Wolfe,
  // exceptions caught (the point it stopped at is kept).
  const auto columns = csc::test::load_chinchilla_240();
  const LogPoints p = make_log_points(columns.n, columns.d, columns.loss);
  const auto objective = [&](const double* x, double* g) {
    Theta theta, grad;
    std::copy(x, x + 5, theta.begin());
    const double f = huber_lse_objective(p, 2, theta, 1e-3, &grad);
    std::copy(grad.begin(), grad.end(), g);
    return f;
  };
  struct Adapter {
    decltype(objective)& f;
    double operator()(const Eigen::VectorXd& x, Eigen::VectorXd& g) { return f(x.data(), g.data()); }
  } adapter{objective};
  LBFGSpp::LBFGSParam<double> param;
  param.linesearch = LBFGSpp::LBFGS_LINESEARCH_BACKTRACKING_STRONG_WOLFE;
  param.epsilon = 1e-10;
  param.epsilon_rel = 0;
  param.max_iterations = 5000;
  param.max_linesearch = 60;
  LBFGSpp::LBFGSSolver<double, LBFGSpp::LineSearchBracketing> solver(param);
  for (const Theta start : {Theta{5, 5, 0.5, 0.5, 0.5}, Theta{10, 10, 0, 0.5, 0.5}, Theta{0, 0, 0, 0, 0}}) {
    Eigen::VectorXd x = Eigen::Map<const Eigen::VectorXd>(start.data(), 5);
    double fx = 0;
    try {
      solver.minimize(adapter, x, fx);
    } catch (const std::exception&) {
      Eigen::VectorXd g(5);
      fx = adapter(x, g);
    }
    double y[5];
    std::copy(start.begin(), start.end(), y);
    const LbfgsResult mine = minimize_lbfgs(objective, y, 5, LbfgsOptions{});
    CAPTURE(start[0]);
    CHECK(mine.objective <= fx * (1 + 1e-9));
    if (std::abs(mine.objective - fx) <= 1e-7 * fx) {
      CHECK(y[kAlpha] == doctest::Approx(x[kAlpha]).epsilon(1e-4));
      CHECK(y[kBeta] == doctest::Approx(x[kBeta]).epsilon(1e-4));
      CHECK(y[kLogE] == doctest::Approx(x[kLogE]).epsilon(1e-4));
    }
  }
}

// Starts from a linear solve per alpha, L-BFGS in log space, Gauss-Newton standard errors.
#include "kernels/fit/power_offset_fit.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <Eigen/Dense>

#include "kernels/fit/huber_lse_objective.h"
#include "kernels/fit/multistart_fit.h"

namespace csc::fit {

namespace {

constexpr int kTerms = 1;

// The weighted geometric mean of x (1 when A is fixed: then a is the user's log A and must not move).
double reference_log_x(const LogPoints& points, const ParamConstraints& constraints) {
  if (constraints.fixed[kLogA]) return 0.0;
  double sw = 0, sx = 0;
  for (std::size_t i = 0; i < points.size(); ++i) sw += points.weight[i], sx += points.weight[i] * points.log_n[i];
  return sw > 0 ? sx / sw : 0.0;
}

LogPoints centred(const LogPoints& points, double log_x_ref) {
  LogPoints out = points;
  for (double& v : out.log_n) v -= log_x_ref;
  return out;
}

// E and A for a fixed alpha from least squares of y on (1, x^-alpha), kept positive and E below min y.
Theta linear_start(const LogPoints& points, double alpha, const ParamConstraints& constraints) {
  double sw = 0, sz = 0, sy = 0, szz = 0, szy = 0, y_min = INFINITY;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double w = points.weight[i];
    if (w <= 0) continue;
    const double z = std::exp(-alpha * points.log_n[i]), y = std::exp(points.log_loss[i]);
    sw += w, sz += w * z, sy += w * y, szz += w * z * z, szy += w * z * y;
    y_min = std::min(y_min, y);
  }
  double E = 0.5 * y_min;
  const double det = sw * szz - sz * sz;
  if (det > 1e-12 * sw * szz) E = (szz * sy - sz * szy) / det;
  if (constraints.fixed[kLogE]) E = std::exp(*constraints.fixed[kLogE]);
  if (!(E > 0)) E = 0.5 * y_min;
  if (!(E < y_min)) E = 0.9 * y_min;
  double A = (szy - E * sz) / szz;  // slope through the origin of y - E on z
  if (!(A > 0) || !std::isfinite(A)) A = 1e-3 * y_min;
  Theta theta{};
  theta[kLogE] = std::log(E);
  theta[kLogA] = constraints.fixed[kLogA] ? *constraints.fixed[kLogA] : std::log(A);
  theta[kAlpha] = alpha;
  return theta;
}

LseFitSetup lse_setup(const PowerOffsetSetup& setup) {
  LseFitSetup lse;
  lse.terms = kTerms;
  lse.huber_delta = setup.huber_delta;
  lse.constraints = setup.constraints;
  lse.lbfgs = setup.lbfgs;
  return lse;
}

// Gauss-Newton covariance s^2 (J'J)^-1 of the free parameters at the optimum, mapped to E, A, alpha.
void standard_errors(const LogPoints& points, const FreeParams& free, const Theta& theta, double log_x_ref,
                     PowerOffsetFit& fit) {
  double sw = 0;
  for (double w : points.weight) sw += w;
  const int p = free.dim();
  if (!(sw > p)) return;
  Eigen::MatrixXd jtj = Eigen::MatrixXd::Zero(p, p);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double u1 = theta[kLogA] - theta[kAlpha] * points.log_n[i];
    const double m = std::max(u1, theta[kLogE]);
    const double e1 = std::exp(u1 - m), e3 = std::exp(theta[kLogE] - m), s = e1 + e3;
    Theta row{};
    row[kLogA] = e1 / s, row[kLogE] = e3 / s, row[kAlpha] = -e1 / s * points.log_n[i];
    Eigen::VectorXd j = Eigen::VectorXd::Zero(p);
    free.reduce_gradient(row, j.data());
    jtj += points.weight[i] * j * j.transpose();
  }
  const double s2 = 2 * fit.objective / (sw - p);
  const Eigen::FullPivLU<Eigen::MatrixXd> lu(jtj);
  if (!lu.isInvertible()) return;
  const Eigen::MatrixXd cov = s2 * lu.inverse();
  const auto var = [&](int j) { return free.is_free(j) ? cov(free.slot(j), free.slot(j)) : 0.0; };
  const auto cross = [&](int j, int k) {
    return free.is_free(j) && free.is_free(k) ? cov(free.slot(j), free.slot(k)) : 0.0;
  };
  const double E = std::exp(theta[kLogE]);
  const double A = std::exp(theta[kLogA] + theta[kAlpha] * log_x_ref);
  fit.se_E = E * std::sqrt(var(kLogE));
  fit.se_alpha = std::sqrt(var(kAlpha));
  fit.se_A = A * std::sqrt(std::max(0.0, var(kLogA) + log_x_ref * log_x_ref * var(kAlpha) +
                                             2 * log_x_ref * cross(kLogA, kAlpha)));
}

PowerOffsetFit finish(const LogPoints& points, const PowerOffsetSetup& setup, const FreeParams& free,
                      const StartOutcome& best, double log_x_ref) {
  PowerOffsetFit fit;
  fit.objective = best.objective;
  fit.theta = best.theta;
  if (std::isinf(setup.huber_delta) && std::isfinite(best.objective))
    standard_errors(points, free, best.theta, log_x_ref, fit);
  fit.theta[kLogA] += fit.theta[kAlpha] * log_x_ref;  // back from x / x_ref to x
  return fit;
}

}  // namespace

PowerOffsetFit fit_power_offset(const LogPoints& raw, const PowerOffsetSetup& setup) {
  const FreeParams free(kTerms, setup.constraints);
  const double log_x_ref = reference_log_x(raw, setup.constraints);
  const LogPoints points = centred(raw, log_x_ref);
  const LseFitSetup lse = lse_setup(setup);
  std::vector<double> alphas = setup.alpha_starts.empty() ? grid_axis(0.1, 3.0, 0.1) : setup.alpha_starts;
  if (setup.constraints.fixed[kAlpha]) alphas = {*setup.constraints.fixed[kAlpha]};

  std::vector<StartOutcome> outcomes;
  for (double alpha : alphas)
    outcomes.push_back(fit_from_start(points, lse, linear_start(points, alpha, setup.constraints)));
  std::size_t best = 0;
  for (std::size_t s = 1; s < outcomes.size(); ++s)
    if (outcomes[s].objective < outcomes[best].objective) best = s;
  PowerOffsetFit fit = finish(points, setup, free, outcomes[best], log_x_ref);
  fit.starts = outcomes.size();
  for (const StartOutcome& o : outcomes)
    fit.starts_at_best += o.objective - outcomes[best].objective <= 1e-6 * std::abs(outcomes[best].objective);
  return fit;
}

PowerOffsetFit refit_power_offset(const LogPoints& raw, const PowerOffsetSetup& setup, const Theta& start) {
  const FreeParams free(kTerms, setup.constraints);
  const double log_x_ref = reference_log_x(raw, setup.constraints);
  const LogPoints points = centred(raw, log_x_ref);
  Theta shifted = start;
  shifted[kLogA] -= start[kAlpha] * log_x_ref;
  const StartOutcome outcome = fit_from_start(points, lse_setup(setup), shifted);
  PowerOffsetFit fit = finish(points, setup, free, outcome, log_x_ref);
  fit.starts = 1;
  fit.starts_at_best = 1;
  return fit;
}

}  // namespace csc::fit

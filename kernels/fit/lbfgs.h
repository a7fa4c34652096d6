// A small L-BFGS minimiser for the few-parameter fits of this domain: fixed-size arrays (no allocation
// per start, so thousands of starts run without touching the heap), a strong-Wolfe line search with
// cubic interpolation (Nocedal & Wright, Algorithms 3.5 and 3.6), no exceptions: it always returns the
// best point it evaluated, with a status saying why it stopped.
//
// Why not LBFGSpp: its 0.1.0 bracketing line search bisects without interpolation, reports every
// failure by throwing and leaves x at the last trial point; the tests compare this minimiser with it.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

namespace csc::fit {

inline constexpr int kLbfgsMaxDim = 8;
inline constexpr int kLbfgsMaxHistory = 20;

struct LbfgsOptions {
  int history = 10;                  // correction pairs kept (SciPy's L-BFGS-B default)
  int max_iterations = 3000;
  double gradient_tolerance = 0;     // stop when max_i |g_i| <= this
  double relative_decrease = 1e-10;  // stop when f_old - f_new <= this * |f_new|
  int max_line_search = 40;          // evaluations per line search
  double armijo = 1e-4;              // c1
  double curvature = 0.9;            // c2
};

enum class LbfgsStatus {
  converged_gradient,
  converged_objective,
  max_iterations,
  line_search_failed,  // no further decrease found: usually the best a finite-precision objective allows
  non_finite_start,    // the objective is not finite at the starting point
};

struct LbfgsResult {
  double objective = INFINITY;
  int iterations = 0;
  int evaluations = 0;
  LbfgsStatus status = LbfgsStatus::non_finite_start;
};

// Minimises f over x[0..dim). `f(const double* x, double* grad)` returns the value and writes the gradient.
// On return x holds the best point evaluated.
template <class Objective>
LbfgsResult minimize_lbfgs(Objective&& f, double* x, int dim, const LbfgsOptions& options) {
  using Vec = std::array<double, kLbfgsMaxDim>;
  if (dim < 1 || dim > kLbfgsMaxDim || options.history < 1 || options.history > kLbfgsMaxHistory)
    throw std::invalid_argument("minimize_lbfgs: dimension or history out of range");
  const auto dot = [dim](const Vec& u, const Vec& v) {
    double s = 0;
    for (int i = 0; i < dim; ++i) s += u[i] * v[i];
    return s;
  };
  const auto max_abs = [dim](const Vec& u) {
    double m = 0;
    for (int i = 0; i < dim; ++i) m = std::max(m, std::abs(u[i]));
    return m;
  };

  LbfgsResult result;
  Vec xk{}, gk{};
  std::copy(x, x + dim, xk.begin());
  double fk = f(xk.data(), gk.data());
  result.evaluations = 1;
  result.objective = fk;
  if (!std::isfinite(fk)) return result;

  std::array<Vec, kLbfgsMaxHistory> s_hist{}, y_hist{};
  std::array<double, kLbfgsMaxHistory> rho{}, coef{};
  int stored = 0, newest = -1;

  Vec p{}, xt{}, gt{}, x_lo{}, g_lo{};
  for (;;) {
    if (max_abs(gk) <= options.gradient_tolerance) {
      result.status = LbfgsStatus::converged_gradient;
      break;
    }
    if (result.iterations >= options.max_iterations) {
      result.status = LbfgsStatus::max_iterations;
      break;
    }
    // Two-loop recursion: p = -H g, H0 scaled by s'y / y'y of the newest pair.
    for (int i = 0; i < dim; ++i) p[i] = -gk[i];
    for (int k = 0, j = newest; k < stored; ++k, j = (j + options.history - 1) % options.history) {
      coef[j] = rho[j] * dot(s_hist[j], p);
      for (int i = 0; i < dim; ++i) p[i] -= coef[j] * y_hist[j][i];
    }
    if (stored > 0) {
      const double gamma = dot(s_hist[newest], y_hist[newest]) / dot(y_hist[newest], y_hist[newest]);
      for (int i = 0; i < dim; ++i) p[i] *= gamma;
    }
    for (int k = 0, j = (newest - stored + 1 + options.history) % options.history; k < stored;
         ++k, j = (j + 1) % options.history) {
      const double b = rho[j] * dot(y_hist[j], p);
      for (int i = 0; i < dim; ++i) p[i] += (coef[j] - b) * s_hist[j][i];
    }
    double dphi0 = dot(gk, p);
    if (!(dphi0 < 0)) {  // lost descent (rounding in the history): restart from steepest descent
      stored = 0;
      for (int i = 0; i < dim; ++i) p[i] = -gk[i];
      dphi0 = dot(gk, p);
    }
    double step = 1.0;
    if (stored == 0) step = std::min(1.0, 1.0 / std::sqrt(dot(p, p)));

    // Line search for a step meeting the strong Wolfe conditions.
    const double f0 = fk;
    const auto trial = [&](double a) {
      for (int i = 0; i < dim; ++i) xt[i] = xk[i] + a * p[i];
      ++result.evaluations;
      const double ft = f(xt.data(), gt.data());
      return std::isfinite(ft) ? ft : INFINITY;
    };
    const auto armijo_fails = [&](double a, double ft) { return ft > f0 + options.armijo * a * dphi0; };
    const auto curvature_holds = [&](double dt) { return std::abs(dt) <= -options.curvature * dphi0; };
    double a_lo = 0, f_lo = f0, d_lo = dphi0;  // best acceptable point so far (x_lo, g_lo when a_lo > 0)
    double a_hi = 0, f_hi = 0, d_hi = 0;
    bool bracketed = false, accepted = false;
    double f_new = f0;
    int evaluations = 0;
    while (!bracketed && evaluations < options.max_line_search) {
      const double ft = trial(step);
      ++evaluations;
      if (armijo_fails(step, ft) || ft >= f_lo) {
        a_hi = step, f_hi = ft, d_hi = std::isfinite(ft) ? dot(gt, p) : NAN;
        bracketed = true;
        break;
      }
      const double dt = dot(gt, p);
      if (curvature_holds(dt)) {
        accepted = true, f_new = ft;
        break;
      }
      if (dt >= 0) {
        a_hi = a_lo, f_hi = f_lo, d_hi = d_lo;
        a_lo = step, f_lo = ft, d_lo = dt, x_lo = xt, g_lo = gt;
        bracketed = true;
        break;
      }
      a_lo = step, f_lo = ft, d_lo = dt, x_lo = xt, g_lo = gt;
      step *= 4;
    }
    while (bracketed && !accepted && evaluations < options.max_line_search) {
      const double lo = std::min(a_lo, a_hi), width = std::abs(a_hi - a_lo);
      if (width <= 1e-16 * std::max(a_lo, a_hi)) break;
      double a = 0.5 * (a_lo + a_hi);
      if (std::isfinite(f_hi) && std::isfinite(d_hi)) {
        // Minimiser of the cubic through (a_lo, f_lo, d_lo) and (a_hi, f_hi, d_hi).
        const double d1 = d_lo + d_hi - 3 * (f_lo - f_hi) / (a_lo - a_hi);
        const double disc = d1 * d1 - d_lo * d_hi;
        if (disc >= 0) {
          const double d2 = std::copysign(std::sqrt(disc), a_hi - a_lo);
          const double cubic = a_hi - (a_hi - a_lo) * (d_hi + d2 - d1) / (d_hi - d_lo + 2 * d2);
          if (std::isfinite(cubic)) a = cubic;
        }
      }
      // Safeguard: stay well inside the bracket, or bisect.
      if (!(a >= lo + 0.1 * width && a <= lo + 0.9 * width)) a = 0.5 * (a_lo + a_hi);
      const double ft = trial(a);
      ++evaluations;
      if (armijo_fails(a, ft) || ft >= f_lo) {
        a_hi = a, f_hi = ft, d_hi = std::isfinite(ft) ? dot(gt, p) : NAN;
        continue;
      }
      const double dt = dot(gt, p);
      if (curvature_holds(dt)) {
        accepted = true, f_new = ft;
        break;
      }
      if (dt * (a_hi - a_lo) >= 0) a_hi = a_lo, f_hi = f_lo, d_hi = d_lo;
      a_lo = a, f_lo = ft, d_lo = dt, x_lo = xt, g_lo = gt;
    }
    if (!accepted) {
      if (a_lo == 0) {  // not even sufficient decrease: the best a finite-precision objective allows
        result.status = LbfgsStatus::line_search_failed;
        break;
      }
      xt = x_lo, gt = g_lo, f_new = f_lo;  // sufficient decrease without the curvature condition
    }
    ++result.iterations;

    // Store the correction pair when it keeps H positive definite.
    Vec s{}, y{};
    for (int i = 0; i < dim; ++i) s[i] = xt[i] - xk[i], y[i] = gt[i] - gk[i];
    const double sy = dot(s, y);
    if (sy > 1e-300 && sy > 1e-12 * std::sqrt(dot(s, s) * dot(y, y))) {
      newest = (newest + 1) % options.history;
      s_hist[newest] = s, y_hist[newest] = y, rho[newest] = 1.0 / sy;
      stored = std::min(stored + 1, options.history);
    }
    const double decrease = fk - f_new;
    xk = xt, gk = gt, fk = f_new;
    if (decrease <= options.relative_decrease * std::abs(f_new)) {
      result.status = LbfgsStatus::converged_objective;
      break;
    }
  }
  std::copy(xk.begin(), xk.begin() + dim, x);
  result.objective = fk;
  return result;
}

}  // namespace csc::fit

// The power law with an offset, y = E + A * x^(-alpha), fitted on log y: the residual is
// log(E + A x^-alpha) - log y, the one-term case of the Chinchilla objective (huber_lse_objective.h),
// so E and A stay positive (the fit moves log E and log A) and a loss curve's multiplicative noise is
// weighted evenly across decades. Least squares by default; a finite Huber delta makes it robust.
//
// Starts: for each alpha on a scan, E and A from a linear least-squares fit of y on x^-alpha (the
// model is linear in E and A once alpha is fixed), then L-BFGS on all three; the best start wins.
// x is divided by its geometric mean inside the fit, so that A's start does not depend on x's units.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "kernels/fit/free_params.h"
#include "kernels/fit/lbfgs.h"
#include "kernels/fit/log_points.h"
#include "kernels/fit/scaling_law.h"

namespace csc::fit {

struct PowerOffsetSetup {
  std::vector<double> alpha_starts;  // empty: 0.1, 0.2, ..., 3
  double huber_delta = INFINITY;
  ParamConstraints constraints;      // on e (log E), a (log A) and alpha; b and beta do not exist here
  LbfgsOptions lbfgs;
};

struct PowerOffsetFit {
  Theta theta{};                 // (a, -, e, alpha, -): A = exp(a), E = exp(e)
  double objective = INFINITY;   // sum of w * huber(r) (r^2 / 2 for least squares)
  double se_E = NAN, se_A = NAN, se_alpha = NAN;  // Gauss-Newton, least squares only; 0 for fixed ones
  std::size_t starts = 0, starts_at_best = 0;
};

// points: log_n holds log x. Throws std::invalid_argument on bad setups (see FreeParams).
PowerOffsetFit fit_power_offset(const LogPoints& points, const PowerOffsetSetup& setup);

// One L-BFGS run from `start` (a bootstrap resample refitted from the full-data estimate).
PowerOffsetFit refit_power_offset(const LogPoints& points, const PowerOffsetSetup& setup, const Theta& start);

}  // namespace csc::fit

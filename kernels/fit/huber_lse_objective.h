// The objective of Hoffmann et al.'s Approach 3 and its gradient, vectorised over the data points:
//   f(theta) = sum_i w_i * Huber_delta( LSE(a - alpha*log N_i, b - beta*log D_i, e) - log L_i ),
// the log-space residual of L = E + A/N^alpha + B/D^beta. With one term the B/D^beta part is absent
// (the power-offset law E + A/x^alpha); delta = +infinity turns Huber into least squares (r^2/2).
#pragma once

#include "kernels/fit/log_points.h"
#include "kernels/fit/scaling_law.h"

namespace csc::fit {

// terms: 1 or 2. Writes df/dtheta into `grad` (zero for b, beta with one term) unless it is null.
// Returns +infinity (and a zero gradient) when theta is not finite.
double huber_lse_objective(const LogPoints& points, int terms, const Theta& theta, double delta, Theta* grad);
// The same in single precision (twice the SIMD lanes, cheaper exp and log): accurate to about 1e-6
// per residual, enough to bring a start near its minimum before the double-precision objective polishes it.
double huber_lse_objective(const LogPointsF& points, int terms, const Theta& theta, double delta, Theta* grad);

}  // namespace csc::fit

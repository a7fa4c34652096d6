// Data generated from a known law with seeded multiplicative noise, loss * exp(sigma * z), z ~ N(0, 1):
// the embedded default of `csc scale-fit` when no FILE is given, and the truth behind recovery tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/fit/scaling_law.h"

namespace csc::fit {

struct SyntheticRuns {
  std::vector<double> n, d, loss;
};

// IsoFLOP-style training runs, the design of Hoffmann et al.'s Approach 2: `budgets` compute budgets
// log-spaced over [c_min, c_max] FLOPs and, at each, `models` model sizes log-spaced from N_opt / 8 to
// 8 N_opt, D = C / (6 N). Needs budgets, models >= 2.
SyntheticRuns synthetic_isoflop_runs(const LawParams& law, std::uint64_t seed, double sigma, std::size_t budgets = 9,
                                     std::size_t models = 15, double c_min = 6e18, double c_max = 3e21);

struct SyntheticCurve {
  std::vector<double> x, y;
};

// The compute-optimal frontier of `law`: x = C log-spaced over [c_min, c_max], y = L(N_opt(C), D_opt(C)),
// minus E when `reducible_only` (then y is a pure power law of C). Along the frontier both terms fall as
// C^-gamma, gamma = alpha beta / (alpha + beta), so y = E + K C^-gamma exactly before the noise.
SyntheticCurve synthetic_frontier(const LawParams& law, std::uint64_t seed, double sigma, bool reducible_only,
                                  std::size_t count = 25, double c_min = 1e18, double c_max = 1e24);

}  // namespace csc::fit

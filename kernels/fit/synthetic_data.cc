// Log-spaced designs and seeded log-normal noise.
#include "kernels/fit/synthetic_data.h"

#include <cmath>
#include <stdexcept>

#include "kernels/fit/allocation.h"
#include "kernels/fit/random.h"

namespace csc::fit {

namespace {
double log_spaced(double lo, double hi, std::size_t i, std::size_t count) {
  return std::exp(std::log(lo) + (std::log(hi) - std::log(lo)) * static_cast<double>(i) / static_cast<double>(count - 1));
}
}  // namespace

SyntheticRuns synthetic_isoflop_runs(const LawParams& law, std::uint64_t seed, double sigma, std::size_t budgets,
                                     std::size_t models, double c_min, double c_max) {
  if (budgets < 2 || models < 2) throw std::invalid_argument("synthetic_isoflop_runs: need 2 budgets and 2 models");
  Random random(seed, 0);
  SyntheticRuns runs;
  for (std::size_t k = 0; k < budgets; ++k) {
    const double c = log_spaced(c_min, c_max, k, budgets);
    const double n_opt = compute_optimal(law, c).n_opt;
    for (std::size_t m = 0; m < models; ++m) {
      const double n = log_spaced(n_opt / 8, n_opt * 8, m, models);
      const double d = c / (6 * n);
      runs.n.push_back(n);
      runs.d.push_back(d);
      runs.loss.push_back(law_loss(law, n, d) * std::exp(sigma * random.normal()));
    }
  }
  return runs;
}

SyntheticCurve synthetic_frontier(const LawParams& law, std::uint64_t seed, double sigma, bool reducible_only,
                                  std::size_t count, double c_min, double c_max) {
  if (count < 2) throw std::invalid_argument("synthetic_frontier: need 2 points");
  Random random(seed, 0);
  SyntheticCurve curve;
  for (std::size_t i = 0; i < count; ++i) {
    const double c = log_spaced(c_min, c_max, i, count);
    const double y = compute_optimal(law, c).loss - (reducible_only ? law.E : 0.0);
    curve.x.push_back(c);
    curve.y.push_back(y * std::exp(sigma * random.normal()));
  }
  return curve;
}

}  // namespace csc::fit

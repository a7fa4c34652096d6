// Each model's refit of one resample, plugged into run_bootstrap.
#include "kernels/fit/bootstrap_fits.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/fit/power_fit.h"

namespace csc::fit {

namespace {

std::vector<Theta> theta_rows(const std::vector<double>& flat) {
  std::vector<Theta> rows(flat.size() / kParamCount);
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (int j = 0; j < kParamCount; ++j) rows[r][j] = flat[r * kParamCount + j];
  return rows;
}

void store(const Theta& theta, double objective, std::span<double> out) {
  for (int j = 0; j < kParamCount; ++j) out[j] = std::isfinite(objective) ? theta[j] : NAN;
}

}  // namespace

std::vector<Theta> bootstrap_lse_fit(const LogPoints& points, const LseFitSetup& full_setup, const Theta& start,
                                     const StartGrid* grid, const BootstrapOptions& options) {
  // A resample needs only its best start, not a count of the starts that reach it: the single-precision
  // phase may stop at 1e-6 relative progress (on 40 resamples of the Chinchilla points this found the
  // same optimum as double precision throughout, to 3e-13, at half the cost of the default 1e-8).
  LseFitSetup setup = full_setup;
  setup.single_precision_lbfgs.relative_decrease = std::max(setup.single_precision_lbfgs.relative_decrease, 1e-6);
  const auto refit = [&](std::span<const unsigned> counts, std::span<double> out) {
    const LogPoints resample = select_weighted(points, counts);
    if (grid) {
      const MultiStartResult fit = fit_start_grid(resample, setup, *grid, 1);
      store(fit.theta, fit.objective, out);
    } else {
      const StartOutcome fit = fit_from_start(resample, setup, start);
      store(fit.theta, fit.objective, out);
    }
  };
  return theta_rows(run_bootstrap(points.size(), kParamCount, options, refit));
}

std::vector<Theta> bootstrap_power_offset(const LogPoints& points, const PowerOffsetSetup& setup, const Theta& start,
                                          bool full_scan, const BootstrapOptions& options) {
  const auto refit = [&](std::span<const unsigned> counts, std::span<double> out) {
    const LogPoints resample = select_weighted(points, counts);
    const PowerOffsetFit fit =
        full_scan ? fit_power_offset(resample, setup) : refit_power_offset(resample, setup, start);
    store(fit.theta, fit.objective, out);
  };
  return theta_rows(run_bootstrap(points.size(), kParamCount, options, refit));
}

std::vector<std::array<double, 2>> bootstrap_power(std::span<const double> log_x, std::span<const double> log_y,
                                                   const BootstrapOptions& options) {
  const auto refit = [&](std::span<const unsigned> counts, std::span<double> out) {
    const std::vector<double> weight(counts.begin(), counts.end());
    try {
      const PowerFit fit = fit_power(log_x, log_y, weight);
      out[0] = fit.a, out[1] = fit.b;
    } catch (const std::invalid_argument&) {  // a resample of one distinct x: no line through it
      out[0] = out[1] = NAN;
    }
  };
  const std::vector<double> flat = run_bootstrap(log_x.size(), 2, options, refit);
  std::vector<std::array<double, 2>> rows(flat.size() / 2);
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = {flat[2 * r], flat[2 * r + 1]};
  return rows;
}

}  // namespace csc::fit

// Bootstrap refits of the three models: resample i is refitted either from the full-data estimate
// (one L-BFGS run, the default) or with the full start grid / alpha scan (--bootstrap-grid). One row
// per resample; a refit that fails (non-finite objective) is a row of NaN.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "kernels/fit/bootstrap.h"
#include "kernels/fit/log_points.h"
#include "kernels/fit/multistart_fit.h"
#include "kernels/fit/power_offset_fit.h"

namespace csc::fit {

// grid == nullptr: refit from `start`; otherwise the whole grid per resample (serially inside a
// resample, resamples in parallel).
std::vector<Theta> bootstrap_lse_fit(const LogPoints& points, const LseFitSetup& setup, const Theta& start,
                                     const StartGrid* grid, const BootstrapOptions& options);

std::vector<Theta> bootstrap_power_offset(const LogPoints& points, const PowerOffsetSetup& setup, const Theta& start,
                                          bool full_scan, const BootstrapOptions& options);

// Rows of (a, b) of y = a x^b.
std::vector<std::array<double, 2>> bootstrap_power(std::span<const double> log_x, std::span<const double> log_y,
                                                   const BootstrapOptions& options);

}  // namespace csc::fit

// The power law y = a * x^b fitted by least squares in log space: log y = log a + b log x is a straight
// line, so the fit is closed form, with the textbook standard errors and R^2 of that line.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

namespace csc::fit {

struct PowerFit {
  double a = NAN, b = NAN;
  double se_log_a = NAN, se_b = NAN;  // ordinary least squares; NaN with fewer than 3 points
  double se_a = NAN;                  // a * se_log_a (delta method)
  double r2_log = NAN;                // R^2 of the line in log space
  double rss_log = NAN;               // sum of squared log residuals
};

// `weight` (empty: all 1) holds bootstrap multiplicities; standard errors assume unit weights.
// Throws std::invalid_argument when the spans differ in length, fewer than 2 points carry weight,
// or log x does not vary.
PowerFit fit_power(std::span<const double> log_x, std::span<const double> log_y, std::span<const double> weight = {});

}  // namespace csc::fit

// What csc scale-fit reports about each quantity (a parameter, N_opt, a prediction...): the value from
// the fit and, with --bootstrap, its standard error and percentile interval over the resamples, turned
// into JSON and into aligned text rows.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "kernels/fit/bootstrap.h"
#include "kernels/fit/scaling_law.h"
#include "src/report.h"

namespace csc {

struct Estimate {
  std::string name;                // JSON key and table label
  double value = 0;
  double standard_error = NAN;     // bootstrap, or analytic (OLS, Gauss-Newton) when there is no bootstrap
  double lower = NAN, upper = NAN; // bootstrap percentile interval
};

using LawQuantity = std::function<double(const fit::LawParams&)>;

// The quantity at the fitted law and, when `resamples` is not empty, over the bootstrap laws.
Estimate estimate(std::string name, const LawQuantity& quantity, const fit::LawParams& law,
                  const std::vector<fit::LawParams>& resamples, double ci);

// {name: value, ...}; NaN becomes null.
Json values_json(const std::vector<Estimate>& estimates);
// {name: se, ...} and {name: [lower, upper], ...}, or null when no estimate has one.
Json standard_errors_json(const std::vector<Estimate>& estimates);
Json intervals_json(const std::vector<Estimate>& estimates);
// A number for JSON: null when not finite.
Json number_or_null(double value);

// An aligned table: quantity, estimate, std. error (when any is known) and, with a bootstrap, the
// interval's ends.
std::string estimates_table(const std::vector<Estimate>& estimates, bool with_interval, double ci);

}  // namespace csc

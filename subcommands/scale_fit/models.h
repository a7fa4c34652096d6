// csc scale-fit's three fits: each runs its kernel and, with --bootstrap, its resamples, and hands the
// report the fitted law, the bootstrap laws, the parameter estimates and its model-specific result keys.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "kernels/fit/free_params.h"
#include "kernels/fit/scaling_law.h"
#include "src/invocation.h"
#include "subcommands/scale_fit/input.h"
#include "subcommands/scale_fit/options.h"
#include "subcommands/scale_fit/report.h"

namespace csc {

struct FitRun {
  fit::LawParams law;                     // power: A = a, alpha = -b; power-offset: B = beta = 0
  std::vector<fit::LawParams> resamples;  // one law per successful bootstrap resample
  std::size_t failed_resamples = 0;
  std::vector<Estimate> params;
  std::string standard_errors_method;     // "bootstrap", "ols", "gauss-newton" or "none"
  Json details = Json::object();          // model-specific result keys
  std::string summary;                    // text lines about the fit
};

FitRun run_power_fit(Invocation& inv, const ScaleFitOptions& o, const ScaleFitData& data);
FitRun run_power_offset_fit(Invocation& inv, const ScaleFitOptions& o, const ScaleFitData& data,
                            const fit::ParamConstraints& constraints);
// Adds warnings about the grid (an optimum at its edge, a lone winning start...) to inv.
FitRun run_chinchilla_fit(Invocation& inv, const ScaleFitOptions& o, const ScaleFitData& data,
                          const fit::ParamConstraints& constraints);

// Each named quantity at the fitted law and over the bootstrap laws.
std::vector<Estimate> law_estimates(const FitRun& run, const std::vector<std::pair<std::string, LawQuantity>>& items,
                                    double ci);

}  // namespace csc

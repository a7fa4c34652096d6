// csc scale-fit's decisions from a fitted law, each with bootstrap intervals: the compute-optimal split
// of a budget (--compute), the cheapest model for a target loss once inference counts (--target-loss,
// --inference-tokens), and predictions (--predict). Each returns its JSON block and appends text.
#pragma once

#include <string>
#include <vector>

#include "src/invocation.h"
#include "subcommands/scale_fit/models.h"
#include "subcommands/scale_fit/options.h"

namespace csc {

Json compute_optimal_block(const FitRun& run, double compute, double ci, std::string& text);
// null (and a warning) when the target is not above the fitted E.
Json inference_block(Invocation& inv, const FitRun& run, double target, double inference_tokens, double ci,
                     std::string& text);
Json predictions_block(const FitRun& run, ScaleModel model, const std::vector<PredictPoint>& points, double ci,
                       std::string& text);

}  // namespace csc

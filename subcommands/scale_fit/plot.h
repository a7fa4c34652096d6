// csc scale-fit --plot: the data and the fitted law on log axes over a panel of log residuals.
// Chinchilla fits are drawn as loss against compute C = 6 N D, with the law along a few fixed model
// sizes (iso-N curves) and the compute-optimal frontier; power laws as y against x.
#pragma once

#include <string>
#include <vector>

#include "kernels/fit/scaling_law.h"
#include "subcommands/scale_fit/options.h"

namespace csc {

// n, d, loss as fitted (d empty for power laws); log_residuals = log L - log L_fit per point; the axis
// labels name the power models' x and y.
std::string scale_fit_plot_svg(ScaleModel model, const fit::LawParams& law, const std::vector<double>& n,
                               const std::vector<double>& d, const std::vector<double>& loss,
                               const std::vector<double>& log_residuals, const std::string& title,
                               const std::string& x_label, const std::string& y_label);

}  // namespace csc

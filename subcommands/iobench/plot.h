// --plot for iobench: the latency histogram of every job over its bandwidth in time, as one SVG.
#pragma once

#include <string>
#include <vector>

#include "kernels/io/job.h"

namespace csc {

std::string iobench_plot_svg(const std::vector<io::JobResult>& results, const std::string& title);

}  // namespace csc

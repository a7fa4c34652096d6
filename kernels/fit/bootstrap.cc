// Resampling, the parallel loop over resamples and the interval summaries.
#include "kernels/fit/bootstrap.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

#include "kernels/fit/random.h"

namespace csc::fit {

std::vector<unsigned> resample_counts(std::size_t n, std::uint64_t seed, std::size_t index) {
  std::vector<unsigned> counts(n, 0);
  Random random(seed, index);
  for (std::size_t i = 0; i < n; ++i) ++counts[random.below(n)];
  return counts;
}

std::vector<double> run_bootstrap(std::size_t rows, std::size_t width, const BootstrapOptions& options,
                                  const ResampleFit& fit) {
  if (width == 0) throw std::invalid_argument("run_bootstrap: width must be positive");
  const long long resamples = static_cast<long long>(options.resamples);
  std::vector<double> out(options.resamples * width, NAN);
  std::atomic<bool> stop{false};
  const int team = options.threads > 0 ? options.threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(team) if (team > 1)
  for (long long r = 0; r < resamples; ++r) {
    if (stop.load(std::memory_order_relaxed)) continue;
    if (options.cancelled && options.cancelled()) {
      stop = true;
      continue;
    }
    const std::span<double> row = std::span<double>(out).subspan(static_cast<std::size_t>(r) * width, width);
    try {  // an exception must not leave the parallel region: the resample counts as failed instead
      fit(resample_counts(rows, options.seed, static_cast<std::size_t>(r)), row);
    } catch (const std::exception&) {
      std::fill(row.begin(), row.end(), NAN);
    }
    if (options.progress) options.progress();
  }
  if (stop) out.clear();
  return out;
}

IntervalEstimate percentile_interval(std::span<const double> samples, double ci) {
  if (!(ci > 0 && ci < 1)) throw std::invalid_argument("percentile_interval: ci must lie in (0, 1)");
  std::vector<double> finite;
  for (double v : samples)
    if (std::isfinite(v)) finite.push_back(v);
  IntervalEstimate estimate;
  estimate.samples = finite.size();
  if (finite.size() < 2) return estimate;
  std::sort(finite.begin(), finite.end());
  const auto quantile = [&](double q) {
    const double position = q * static_cast<double>(finite.size() - 1);
    const std::size_t below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, finite.size() - 1);
    return finite[below] + (position - static_cast<double>(below)) * (finite[above] - finite[below]);
  };
  estimate.lower = quantile(0.5 * (1 - ci));
  estimate.upper = quantile(0.5 * (1 + ci));
  double mean = 0;
  for (double v : finite) mean += v;
  mean /= static_cast<double>(finite.size());
  double squares = 0;
  for (double v : finite) squares += (v - mean) * (v - mean);
  estimate.standard_error = std::sqrt(squares / static_cast<double>(finite.size() - 1));
  return estimate;
}

}  // namespace csc::fit

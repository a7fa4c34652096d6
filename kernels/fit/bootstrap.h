// The nonparametric bootstrap of a fit: resample the rows with replacement B times, refit each resample
// (in parallel over OpenMP threads), then standard errors and percentile intervals of every quantity.
// Resample i draws from random stream (seed, i), and results are stored by i, so they depend on the
// seed only: not on the thread count or the order resamples finish in.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace csc::fit {

// How many times each of the n rows appears in resample `index` (the counts sum to n).
std::vector<unsigned> resample_counts(std::size_t n, std::uint64_t seed, std::size_t index);

struct BootstrapOptions {
  std::size_t resamples = 0;
  std::uint64_t seed = 1;
  int threads = 0;                                 // 0: OpenMP's default
  std::function<void()> progress;                  // after each resample, from the thread that ran it
  std::function<bool()> cancelled;                 // polled by every thread between resamples
};

// Fills `out` (width values) for one resample; a failed refit writes NaN (or throws: the row becomes
// NaN). Must be thread-safe.
using ResampleFit = std::function<void(std::span<const unsigned> counts, std::span<double> out)>;

// Row r of the result (width values) belongs to resample r. Returns fewer rows when cancelled.
std::vector<double> run_bootstrap(std::size_t rows, std::size_t width, const BootstrapOptions& options,
                                  const ResampleFit& fit);

struct IntervalEstimate {
  double standard_error = NAN;  // sample standard deviation over the finite samples
  double lower = NAN, upper = NAN;
  std::size_t samples = 0;      // finite samples used
};

// Percentile interval at level `ci` (0 < ci < 1; quantiles interpolated linearly as numpy does by
// default) and standard error from the finite values of `samples`; NaN fields with fewer than 2.
IntervalEstimate percentile_interval(std::span<const double> samples, double ci);

}  // namespace csc::fit

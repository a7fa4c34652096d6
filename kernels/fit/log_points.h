// Observations of a scaling-law fit stored as logarithms, column by column (what the SIMD objective
// reads), with a weight per point: 1 for a plain fit, the multiplicity of the point in a bootstrap resample.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace csc::fit {

struct LogPoints {
  std::vector<double> log_n;     // log N (or log x for one-variable laws)
  std::vector<double> log_d;     // log D (zeros for one-variable laws)
  std::vector<double> log_loss;  // log L (or log y)
  std::vector<double> weight;
  std::size_t size() const { return log_loss.size(); }
};

// The same points in single precision, for the fast first phase of a fit.
struct LogPointsF {
  std::vector<float> log_n, log_d, log_loss, weight;
  std::size_t size() const { return log_loss.size(); }
};
LogPointsF to_single(const LogPoints& points);

// Takes logs of positive finite values; throws std::invalid_argument otherwise (callers validate user
// data with file:line first) or when the spans differ in length. `d` may be empty for one-variable laws.
LogPoints make_log_points(std::span<const double> n, std::span<const double> d, std::span<const double> loss);

// The points with a non-zero count, each weighted by its count: a bootstrap resample without the
// zero-weight rows, so the objective does no work for points the resample left out.
LogPoints select_weighted(const LogPoints& points, std::span<const unsigned> counts);

}  // namespace csc::fit

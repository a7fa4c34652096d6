// Building LogPoints from raw observations and from bootstrap counts.
#include "kernels/fit/log_points.h"

#include <cmath>
#include <stdexcept>

namespace csc::fit {

namespace {
double checked_log(double value) {
  if (!(value > 0) || !std::isfinite(value))
    throw std::invalid_argument("make_log_points: every value must be positive and finite");
  return std::log(value);
}
}  // namespace

LogPoints make_log_points(std::span<const double> n, std::span<const double> d, std::span<const double> loss) {
  if (n.size() != loss.size() || (!d.empty() && d.size() != loss.size()))
    throw std::invalid_argument("make_log_points: columns differ in length");
  LogPoints points;
  points.log_n.reserve(n.size());
  points.log_d.assign(n.size(), 0.0);
  points.log_loss.reserve(n.size());
  for (std::size_t i = 0; i < n.size(); ++i) {
    points.log_n.push_back(checked_log(n[i]));
    if (!d.empty()) points.log_d[i] = checked_log(d[i]);
    points.log_loss.push_back(checked_log(loss[i]));
  }
  points.weight.assign(n.size(), 1.0);
  return points;
}

LogPointsF to_single(const LogPoints& points) {
  LogPointsF out;
  out.log_n.assign(points.log_n.begin(), points.log_n.end());
  out.log_d.assign(points.log_d.begin(), points.log_d.end());
  out.log_loss.assign(points.log_loss.begin(), points.log_loss.end());
  out.weight.assign(points.weight.begin(), points.weight.end());
  return out;
}

LogPoints select_weighted(const LogPoints& points, std::span<const unsigned> counts) {
  if (counts.size() != points.size()) throw std::invalid_argument("select_weighted: one count per point");
  LogPoints selected;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0) continue;
    selected.log_n.push_back(points.log_n[i]);
    selected.log_d.push_back(points.log_d[i]);
    selected.log_loss.push_back(points.log_loss[i]);
    selected.weight.push_back(points.weight[i] * counts[i]);
  }
  return selected;
}

}  // namespace csc::fit

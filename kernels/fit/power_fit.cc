// Weighted simple linear regression of log y on log x.
#include "kernels/fit/power_fit.h"

#include <algorithm>
#include <stdexcept>

namespace csc::fit {

PowerFit fit_power(std::span<const double> log_x, std::span<const double> log_y, std::span<const double> weight) {
  if (log_x.size() != log_y.size() || (!weight.empty() && weight.size() != log_x.size()))
    throw std::invalid_argument("fit_power: spans differ in length");
  const auto w = [&](std::size_t i) { return weight.empty() ? 1.0 : weight[i]; };
  double sw = 0, sx = 0, sy = 0;
  std::size_t used = 0;
  for (std::size_t i = 0; i < log_x.size(); ++i) {
    sw += w(i), sx += w(i) * log_x[i], sy += w(i) * log_y[i];
    used += w(i) > 0;
  }
  if (used < 2) throw std::invalid_argument("fit_power: need at least 2 points");
  const double mx = sx / sw, my = sy / sw;
  double sxx = 0, sxy = 0, syy = 0;
  for (std::size_t i = 0; i < log_x.size(); ++i) {
    const double dx = log_x[i] - mx, dy = log_y[i] - my;
    sxx += w(i) * dx * dx, sxy += w(i) * dx * dy, syy += w(i) * dy * dy;
  }
  if (!(sxx > 0)) throw std::invalid_argument("fit_power: log x does not vary");
  PowerFit fit;
  fit.b = sxy / sxx;
  const double log_a = my - fit.b * mx;
  fit.a = std::exp(log_a);
  fit.rss_log = std::max(0.0, syy - fit.b * sxy);
  fit.r2_log = syy > 0 ? 1.0 - fit.rss_log / syy : 1.0;
  if (sw > 2) {
    const double s2 = fit.rss_log / (sw - 2);
    fit.se_b = std::sqrt(s2 / sxx);
    fit.se_log_a = std::sqrt(s2 * (1.0 / sw + mx * mx / sxx));
    fit.se_a = fit.a * fit.se_log_a;
  }
  return fit;
}

}  // namespace csc::fit

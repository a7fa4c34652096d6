// The scale-fit figure: fit panel (log-log) over a residuals panel.
#include "subcommands/scale_fit/plot.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "kernels/fit/allocation.h"
#include "src/plot_svg.h"

namespace csc {

namespace {

constexpr int kCurvePoints = 200;
constexpr int kIsoCurves = 5;

std::vector<double> log_space(double lo, double hi, int count) {
  std::vector<double> out;
  for (int i = 0; i < count; ++i) out.push_back(std::exp(std::log(lo) + (std::log(hi) - std::log(lo)) * i / (count - 1)));
  return out;
}

std::string short_number(double value) { return fmt::format("{:.2g}", value); }

}  // namespace

std::string scale_fit_plot_svg(ScaleModel model, const fit::LawParams& law, const std::vector<double>& n,
                               const std::vector<double>& d, const std::vector<double>& loss,
                               const std::vector<double>& log_residuals, const std::string& title,
                               const std::string& x_label, const std::string& y_label) {
  plot::Figure fig(2, 1);
  fig.row_heights({3, 1}).suptitle(title);
  plot::Panel& top = fig.panel(0);
  plot::Panel& bottom = fig.panel(1);
  top.x_scale(plot::Scale::log10).y_scale(plot::Scale::log10);
  bottom.x_scale(plot::Scale::log10).y_label("log residual").hline(0, {.color = "#555555", .dash = plot::Dash::solid});

  if (model == ScaleModel::chinchilla) {
    std::vector<double> c(n.size());
    for (std::size_t i = 0; i < n.size(); ++i) c[i] = 6 * n[i] * d[i];
    const auto [c_lo, c_hi] = std::minmax_element(c.begin(), c.end());
    const auto [n_lo, n_hi] = std::minmax_element(n.begin(), n.end());
    const std::vector<double> grid = log_space(*c_lo, *c_hi, kCurvePoints);
    // The iso-N curves climb far above the data at small budgets: keep the axes on the runs.
    const auto [l_lo, l_hi] = std::minmax_element(loss.begin(), loss.end());
    top.x_label("training compute C = 6ND (FLOPs)").y_label("loss").y_range(*l_lo / 1.03, *l_hi * 1.03);
    top.scatter(c, loss, {.label = "runs", .color = "#7f7f7f", .radius = 2.5, .opacity = 0.6});
    for (double size : log_space(*n_lo, *n_hi, kIsoCurves)) {
      std::vector<double> curve;
      for (double ci : grid) curve.push_back(fit::law_loss(law, size, ci / (6 * size)));
      top.line(grid, curve, {.label = "N = " + short_number(size)});
    }
    std::vector<double> frontier;
    for (double ci : grid) frontier.push_back(fit::compute_optimal(law, ci).loss);
    top.line(grid, frontier, {.label = "compute-optimal", .color = "black", .dash = plot::Dash::dashed, .width = 2});
    bottom.x_label("training compute C = 6ND (FLOPs)").scatter(c, log_residuals, {.color = "#1f77b4", .radius = 2.5});
  } else {
    const auto [x_lo, x_hi] = std::minmax_element(n.begin(), n.end());
    const std::vector<double> grid = log_space(*x_lo, *x_hi, kCurvePoints);
    std::vector<double> curve;
    for (double xi : grid) curve.push_back(fit::law_loss(law, xi, 0));
    const std::string fit_label = model == ScaleModel::power
                                      ? fmt::format("fit: y = {:.4g} x^{:.4g}", law.A, -law.alpha)
                                      : fmt::format("fit: y = {:.4g} + {:.4g} x^-{:.4g}", law.E, law.A, law.alpha);
    top.x_label(x_label).y_label(y_label).scatter(n, loss, {.label = "data", .color = "#7f7f7f"});
    top.line(grid, curve, {.label = fit_label, .color = "#d62728", .width = 2});
    bottom.x_label(x_label).scatter(n, log_residuals, {.color = "#1f77b4"});
  }
  return fig.render();
}

}  // namespace csc

// The power, power-offset and chinchilla fits of csc scale-fit, with their bootstraps and warnings.
#include "subcommands/scale_fit/models.h"

#include <cmath>

#include <fmt/format.h>

#include "kernels/fit/bootstrap_fits.h"
#include "kernels/fit/multistart_fit.h"
#include "kernels/fit/power_fit.h"
#include "kernels/fit/power_offset_fit.h"
#include "src/error.h"
#include "src/interrupt.h"
#include "src/progress.h"

namespace csc {

namespace {

using fit::LawParams;

// A grid larger than this is almost certainly a typo in --grid (4500 starts take well under a second).
constexpr std::size_t kMaxStarts = 2'000'000;

fit::BootstrapOptions bootstrap_options(const Invocation& inv, const ScaleFitOptions& o, Progress& progress) {
  fit::BootstrapOptions options;
  options.resamples = o.bootstrap;
  options.seed = inv.seed();
  options.threads = inv.threads();
  options.progress = [&progress] { progress.advance(); };
  options.cancelled = [] { return interrupted(); };
  return options;
}

// Keeps the successful resamples (finite parameters) as laws.
template <class Rows, class ToLaw>
void collect_resamples(const Rows& rows, ToLaw to_law, FitRun& run) {
  for (const auto& row : rows) {
    const LawParams law = to_law(row);
    if (std::isfinite(law.E) && std::isfinite(law.A) && std::isfinite(law.alpha) && std::isfinite(law.B) &&
        std::isfinite(law.beta))
      run.resamples.push_back(law);
    else
      ++run.failed_resamples;
  }
}

// The warnings a grid fit deserves: an optimum that may lie beyond the grid, a lone winning start.
void warn_about_grid(Invocation& inv, const fit::MultiStartResult& result, const fit::StartGrid& grid,
                     const fit::FreeParams& free) {
  for (int j = 0; j < fit::kParamCount; ++j) {
    if (!free.owns_slot(j)) continue;
    const auto& axis = grid.values[j];
    const std::string name(fit::kThetaNames[j]);
    if (result.best_starts_on_edge[j])
      inv.warn(fmt::format("every start that reached the best objective began on the edge of the grid in {} ({} to {}): "
                           "the optimum may need starts beyond it, widen --grid",
                           name, format_number(axis.front()), format_number(axis.back())));
    const double value = result.theta[j];
    if (axis.size() > 1 && (value < axis.front() || value > axis.back()))
      inv.warn(fmt::format("the estimate {} = {} lies outside the grid's range {} to {}", name, format_number(value),
                           format_number(axis.front()), format_number(axis.back())));
  }
  if (result.theta[fit::kAlpha] <= 0 || result.theta[fit::kBeta] <= 0)
    inv.warn("a fitted exponent is not positive: the law does not fall with N or D, the data may not determine it "
             "(try --fix or --tie alpha=beta)");
  if (result.starts > 1 && result.starts_at_best == 1)
    inv.warn(fmt::format("only 1 of {} starts reached the best objective: the minimum is hard to find, try a finer --grid",
                         result.starts));
  if (result.failed_starts > 0)
    inv.warn(fmt::format("{} of {} starts failed (objective not finite)", result.failed_starts, result.starts));
}

}  // namespace

std::vector<Estimate> law_estimates(const FitRun& run, const std::vector<std::pair<std::string, LawQuantity>>& items,
                                    double ci) {
  std::vector<Estimate> out;
  for (const auto& [name, quantity] : items) out.push_back(estimate(name, quantity, run.law, run.resamples, ci));
  return out;
}

FitRun run_power_fit(Invocation& inv, const ScaleFitOptions& o, const ScaleFitData& data) {
  std::vector<double> lx, ly;
  for (std::size_t i = 0; i < data.n.size(); ++i) lx.push_back(std::log(data.n[i])), ly.push_back(std::log(data.loss[i]));
  fit::PowerFit result;
  {
    auto phase = inv.phase("fit");
    try {
      result = fit::fit_power(lx, ly);
    } catch (const std::invalid_argument&) {
      throw input_error(data.source, "every x is the same, a power law needs x values that differ");
    }
  }
  FitRun run;
  run.law = {0.0, result.a, 0.0, -result.b, 0.0};
  if (o.bootstrap) {
    auto phase = inv.phase("bootstrap");
    Progress progress("scale-fit: bootstrap", o.bootstrap, inv.show_progress());
    const auto rows = fit::bootstrap_power(lx, ly, bootstrap_options(inv, o, progress));
    throw_if_interrupted();
    collect_resamples(rows, [](const std::array<double, 2>& r) { return LawParams{0.0, r[0], 0.0, -r[1], 0.0}; }, run);
  }
  run.params = law_estimates(run, {{"a", [](const LawParams& l) { return l.A; }}, {"b", [](const LawParams& l) { return -l.alpha; }}}, o.ci);
  if (run.resamples.empty()) run.params[0].standard_error = result.se_a, run.params[1].standard_error = result.se_b;
  run.standard_errors_method = !run.resamples.empty() ? "bootstrap" : std::isfinite(result.se_b) ? "ols" : "none";
  run.details["r2_log"] = number_or_null(result.r2_log);
  run.details["rss_log"] = number_or_null(result.rss_log);
  run.summary = fmt::format("fit: least squares of log y on log x; R^2 (log space) {}\n", format_number(result.r2_log));
  return run;
}

FitRun run_power_offset_fit(Invocation& inv, const ScaleFitOptions& o, const ScaleFitData& data,
                        const fit::ParamConstraints& constraints) {
  fit::PowerOffsetSetup setup;
  setup.alpha_starts = parse_alpha_scan(o.grid);
  setup.huber_delta = o.huber_delta.value_or(INFINITY);
  setup.constraints = constraints;
  const fit::LogPoints points = fit::make_log_points(data.n, {}, data.loss);
  fit::PowerOffsetFit result;
  {
    auto phase = inv.phase("fit");
    result = fit::fit_power_offset(points, setup);
  }
  if (!std::isfinite(result.objective)) throw runtime_error("the fit failed: the objective is not finite at any start");
  FitRun run;
  run.law = fit::law_from_theta(result.theta);
  run.law.B = 0, run.law.beta = 0;
  if (o.bootstrap) {
    auto phase = inv.phase("bootstrap");
    Progress progress("scale-fit: bootstrap", o.bootstrap, inv.show_progress());
    const auto rows = fit::bootstrap_power_offset(points, setup, result.theta, o.bootstrap_grid,
                                                  bootstrap_options(inv, o, progress));
    throw_if_interrupted();
    collect_resamples(rows, [](const fit::Theta& t) {
      LawParams law = fit::law_from_theta(t);
      law.B = 0, law.beta = 0;
      return law;
    }, run);
  }
  run.params = law_estimates(run, {{"E", [](const LawParams& l) { return l.E; }},
                                   {"A", [](const LawParams& l) { return l.A; }},
                                   {"alpha", [](const LawParams& l) { return l.alpha; }}}, o.ci);
  const bool least_squares = std::isinf(setup.huber_delta);
  if (run.resamples.empty()) {
    run.params[0].standard_error = result.se_E;
    run.params[1].standard_error = result.se_A;
    run.params[2].standard_error = result.se_alpha;
  }
  run.standard_errors_method = !run.resamples.empty() ? "bootstrap" : least_squares && std::isfinite(result.se_alpha) ? "gauss-newton" : "none";
  run.details["objective"] = result.objective;
  run.details["rmse_log"] = least_squares ? number_or_null(std::sqrt(2 * result.objective / data.n.size())) : Json(nullptr);
  run.details["starts"] = result.starts;
  run.details["starts_at_best"] = result.starts_at_best;
  run.summary = fmt::format("fit: {} of log y, L-BFGS from {} alpha starts ({} reached the best objective {})\n",
                            least_squares ? "least squares" : fmt::format("summed Huber (delta {})", setup.huber_delta),
                            result.starts, result.starts_at_best, format_number(result.objective));
  return run;
}

FitRun run_chinchilla_fit(Invocation& inv, const ScaleFitOptions& o, const ScaleFitData& data,
                      const fit::ParamConstraints& constraints) {
  fit::LseFitSetup setup;
  setup.huber_delta = o.huber_delta.value_or(1e-3);
  setup.constraints = constraints;
  const fit::StartGrid grid = parse_start_grid(o.grid, ScaleModel::chinchilla);
  const std::size_t starts = fit::start_count(setup, grid);
  if (starts > kMaxStarts)
    throw usage_error(fmt::format("--grid gives {} starts, more than {}: use coarser steps", starts, kMaxStarts));
  const fit::LogPoints points = fit::make_log_points(data.n, data.d, data.loss);
  fit::MultiStartResult result;
  {
    auto phase = inv.phase("fit");
    result = fit::fit_start_grid(points, setup, grid, inv.threads());
  }
  if (!std::isfinite(result.objective)) throw runtime_error("the fit failed: the objective is not finite at any start");
  warn_about_grid(inv, result, grid, fit::FreeParams(2, constraints));
  FitRun run;
  run.law = fit::law_from_theta(result.theta);
  if (o.bootstrap) {
    auto phase = inv.phase("bootstrap");
    Progress progress("scale-fit: bootstrap", o.bootstrap, inv.show_progress());
    const auto rows = fit::bootstrap_lse_fit(points, setup, result.theta, o.bootstrap_grid ? &grid : nullptr,
                                             bootstrap_options(inv, o, progress));
    throw_if_interrupted();
    collect_resamples(rows, [](const fit::Theta& t) { return fit::law_from_theta(t); }, run);
  }
  run.params = law_estimates(run, {{"E", [](const LawParams& l) { return l.E; }},
                                   {"A", [](const LawParams& l) { return l.A; }},
                                   {"B", [](const LawParams& l) { return l.B; }},
                                   {"alpha", [](const LawParams& l) { return l.alpha; }},
                                   {"beta", [](const LawParams& l) { return l.beta; }}}, o.ci);
  run.standard_errors_method = run.resamples.empty() ? "none" : "bootstrap";
  run.details["objective"] = result.objective;
  run.details["starts"] = result.starts;
  run.details["starts_at_best"] = result.starts_at_best;
  run.details["failed_starts"] = result.failed_starts;
  Json best = {{"index", result.best_start}};
  for (int j = 0; j < fit::kParamCount; ++j) best[std::string(fit::kThetaNames[j])] = result.best_start_point[j];
  run.details["best_start"] = best;
  run.details["evaluations"] = result.evaluations;
  run.details["log_params"] = {{"a", result.theta[fit::kLogA]}, {"b", result.theta[fit::kLogB]}, {"e", result.theta[fit::kLogE]}};
  run.summary = fmt::format(
      "fit: summed Huber (delta {}) of log residuals, L-BFGS from {} starts; {} reached the best objective {} "
      "(within 1 ppm)\n",
      format_number(setup.huber_delta), result.starts, result.starts_at_best, format_number(result.objective));
  return run;
}

}  // namespace csc

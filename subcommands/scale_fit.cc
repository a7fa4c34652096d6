// csc scale-fit: fit a neural scaling law (a power law, a power law with an offset, or Hoffmann et al.'s
// L(N, D) by their Approach 3) with bootstrap uncertainty, then answer "how big a model for this budget?".
#include <cmath>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "kernels/fit/allocation.h"
#include "kernels/fit/bootstrap_fits.h"
#include "kernels/fit/huber_lse_objective.h"
#include "kernels/fit/multistart_fit.h"
#include "kernels/fit/power_fit.h"
#include "kernels/fit/power_offset_fit.h"
#include "src/error.h"
#include "src/interrupt.h"
#include "src/invocation.h"
#include "src/output_file.h"
#include "src/progress.h"
#include "subcommands/scale_fit_input.h"
#include "subcommands/scale_fit_options.h"
#include "subcommands/scale_fit_plot.h"
#include "subcommands/scale_fit_report.h"

namespace csc {

namespace {

ScaleFitOptions g_options;
double g_huber_delta = 1e-3, g_compute = 0, g_target_loss = 0, g_inference_tokens = 0;
CLI::Option *g_huber_option = nullptr, *g_compute_option = nullptr, *g_target_option = nullptr,
            *g_inference_option = nullptr;

// A grid larger than this is almost certainly a typo in --grid (4500 starts take well under a second).
constexpr std::size_t kMaxStarts = 2'000'000;

using fit::LawParams;

// What every model's fit hands to the report.
struct FitRun {
  LawParams law;                          // power: A = a, alpha = -b; power-offset: B = beta = 0
  std::vector<LawParams> resamples;       // one law per successful bootstrap resample
  std::size_t failed_resamples = 0;
  std::vector<Estimate> params;
  std::string standard_errors_method;     // "bootstrap", "ols", "gauss-newton" or "none"
  Json details = Json::object();          // model-specific result keys
  std::string summary;                    // text lines about the fit
};

ScaleFitOptions collected_options() {
  ScaleFitOptions o = g_options;
  if (g_huber_option->count()) o.huber_delta = g_huber_delta;
  if (g_compute_option->count()) o.compute = g_compute;
  if (g_target_option->count()) o.target_loss = g_target_loss;
  if (g_inference_option->count()) o.inference_tokens = g_inference_tokens;
  return o;
}

// Usage errors that need no data: options that do not apply to the model, or contradict each other.
void check_option_combinations(const ScaleFitOptions& o, ScaleModel model) {
  const bool chinchilla = model == ScaleModel::chinchilla;
  if (chinchilla && (!o.x.empty() || !o.y.empty()))
    throw usage_error("--x/--y name the columns of the power models; the chinchilla model reads --n, --d or --c, --loss");
  if (!chinchilla && (!o.n.empty() || !o.d.empty() || !o.c.empty() || !o.loss.empty()))
    throw usage_error(fmt::format("--n/--d/--c/--loss name the chinchilla model's columns; the {} model reads --x and --y",
                                  scale_model_name(model)));
  if (!chinchilla && (o.compute || o.target_loss || o.inference_tokens))
    throw usage_error("--compute, --target-loss and --inference-tokens need the chinchilla model (L of N and D)");
  if (o.inference_tokens && !o.target_loss) throw usage_error("--inference-tokens needs --target-loss");
  if (model == ScaleModel::power && o.huber_delta) throw usage_error("--huber-delta applies to power-offset and chinchilla");
  if (model == ScaleModel::power && !o.grid.empty()) throw usage_error("--grid applies to power-offset and chinchilla");
  if (o.bootstrap_grid && o.bootstrap == 0) throw usage_error("--bootstrap-grid needs --bootstrap B");
  if (!(o.ci > 0 && o.ci < 1)) throw usage_error("--ci must lie strictly between 0 and 1, e.g. 0.95");
  if (o.huber_delta && !(*o.huber_delta > 0)) throw usage_error("--huber-delta must be positive (inf: least squares)");
  if (o.compute && !(*o.compute > 0 && std::isfinite(*o.compute))) throw usage_error("--compute must be a positive number of FLOPs");
  if (o.target_loss && !(*o.target_loss > 0 && std::isfinite(*o.target_loss))) throw usage_error("--target-loss must be positive");
  if (o.inference_tokens && !(*o.inference_tokens >= 0 && std::isfinite(*o.inference_tokens)))
    throw usage_error("--inference-tokens must be a non-negative number of tokens");
}

std::size_t free_parameter_count(ScaleModel model, const fit::ParamConstraints& constraints) {
  if (model == ScaleModel::power) return 2;
  return static_cast<std::size_t>(fit::FreeParams(model == ScaleModel::chinchilla ? 2 : 1, constraints).dim());
}

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

std::vector<Estimate> law_estimates(const FitRun& run, const std::vector<std::pair<std::string, LawQuantity>>& items,
                                    double ci) {
  std::vector<Estimate> out;
  for (const auto& [name, quantity] : items) out.push_back(estimate(name, quantity, run.law, run.resamples, ci));
  return out;
}

FitRun fit_power(Invocation& inv, const ScaleFitOptions& o, const ScaleFitData& data) {
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

FitRun fit_power_offset(Invocation& inv, const ScaleFitOptions& o, const ScaleFitData& data,
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

FitRun fit_chinchilla(Invocation& inv, const ScaleFitOptions& o, const ScaleFitData& data,
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

// Compute-optimal allocation for --compute C, with bootstrap intervals.
Json compute_optimal_block(const FitRun& run, double compute, double ci, std::string& text) {
  const auto field = [compute](double fit::ComputeOptimal::*member) {
    return [compute, member](const LawParams& l) { return fit::compute_optimal(l, compute).*member; };
  };
  const std::vector<Estimate> items = law_estimates(run, {{"a", field(&fit::ComputeOptimal::a)},
                                                          {"b", field(&fit::ComputeOptimal::b)},
                                                          {"G", field(&fit::ComputeOptimal::G)},
                                                          {"n_opt", field(&fit::ComputeOptimal::n_opt)},
                                                          {"d_opt", field(&fit::ComputeOptimal::d_opt)},
                                                          {"tokens_per_parameter", field(&fit::ComputeOptimal::tokens_per_parameter)},
                                                          {"loss", field(&fit::ComputeOptimal::loss)}}, ci);
  Json block = {{"compute_flops", compute}};
  block.update(values_json(items));
  block["standard_errors"] = standard_errors_json(items);
  block["intervals"] = intervals_json(items);
  text += fmt::format("\ncompute-optimal allocation for C = {} FLOPs (C = 6 N D; N_opt = G (C/6)^a, D_opt = (C/6)^b / G):\n",
                      format_number(compute));
  text += estimates_table(items, !run.resamples.empty(), ci);
  return block;
}

// Inference-aware allocation (Sardana & Frankle 2023) for --target-loss and --inference-tokens.
Json inference_block(Invocation& inv, const FitRun& run, double target, double inference_tokens, double ci,
                     std::string& text) {
  if (!fit::inference_optimal(run.law, target, inference_tokens)) {
    inv.warn(fmt::format("--target-loss {} is not above the fitted irreducible loss E = {}: no model reaches it",
                         format_number(target), format_number(run.law.E)));
    return nullptr;
  }
  const auto field = [=](double fit::InferenceOptimal::*member, double tokens) {
    return [=](const LawParams& l) {
      const auto opt = fit::inference_optimal(l, target, tokens);
      return opt ? (*opt).*member : NAN;
    };
  };
  const auto chinchilla_total = [=](const LawParams& l) {
    const auto opt = fit::inference_optimal(l, target, 0);
    return opt ? opt->train_flops + 2 * opt->n * inference_tokens : NAN;
  };
  const auto saving = [=](const LawParams& l) {
    const auto opt = fit::inference_optimal(l, target, inference_tokens);
    return opt ? 1 - opt->total_flops / chinchilla_total(l) : NAN;
  };
  using IO = fit::InferenceOptimal;
  const std::vector<Estimate> items = law_estimates(run, {{"n", field(&IO::n, inference_tokens)},
                                                          {"d_train", field(&IO::d_train, inference_tokens)},
                                                          {"train_flops", field(&IO::train_flops, inference_tokens)},
                                                          {"inference_flops", field(&IO::inference_flops, inference_tokens)},
                                                          {"total_flops", field(&IO::total_flops, inference_tokens)},
                                                          {"chinchilla_n", field(&IO::n, 0)},
                                                          {"chinchilla_d_train", field(&IO::d_train, 0)},
                                                          {"chinchilla_total_flops", chinchilla_total},
                                                          {"saving_fraction", saving}}, ci);
  Json block = {{"target_loss", target}, {"inference_tokens", inference_tokens}};
  block.update(values_json(items));
  block["standard_errors"] = standard_errors_json(items);
  block["intervals"] = intervals_json(items);
  text += fmt::format("\ninference-aware allocation (Sardana & Frankle 2023) for loss {} and {} inference tokens,\n"
                      "against the Chinchilla-optimal model of the same loss (FLOPs = 6 N D_train + 2 N D_inference):\n",
                      format_number(target), format_number(inference_tokens));
  text += estimates_table(items, !run.resamples.empty(), ci);
  return block;
}

Json predictions_block(const FitRun& run, ScaleModel model, const std::vector<PredictPoint>& points, double ci,
                       std::string& text) {
  Json out = Json::array();
  const bool chinchilla = model == ScaleModel::chinchilla;
  std::vector<std::string> header = chinchilla ? std::vector<std::string>{"N", "D", "loss", "std. error"}
                                               : std::vector<std::string>{"x", "y", "std. error"};
  if (!run.resamples.empty()) {
    header.push_back(fmt::format("{:g}%", 50 * (1 - ci)));
    header.push_back(fmt::format("{:g}%", 50 * (1 + ci)));
  }
  TextTable table(header);
  for (const PredictPoint& p : points) {
    const Estimate e = estimate("loss", [&](const LawParams& l) { return fit::law_loss(l, p.n, p.d); }, run.law, run.resamples, ci);
    Json item = chinchilla ? Json{{"n", p.n}, {"d", p.d}, {"loss", e.value}} : Json{{"x", p.n}, {"y", e.value}};
    item["standard_error"] = number_or_null(e.standard_error);
    item["lower"] = number_or_null(e.lower);
    item["upper"] = number_or_null(e.upper);
    out.push_back(item);
    std::vector<std::string> row = {format_number(p.n)};
    if (chinchilla) row.push_back(format_number(p.d));
    row.push_back(format_number(e.value));
    row.push_back(std::isfinite(e.standard_error) ? format_number(e.standard_error, 3) : "-");
    if (!run.resamples.empty()) row.push_back(format_number(e.lower)), row.push_back(format_number(e.upper));
    table.add_row(row);
  }
  text += "\npredictions:\n" + table.render();
  return out;
}

Json params_json(const ScaleFitOptions& o, ScaleModel model, const fit::ParamConstraints& constraints) {
  Json fixed = Json::object();
  for (int j = 0; j < fit::kParamCount; ++j) {
    if (!constraints.fixed[j]) continue;
    const bool log_scale = j == fit::kLogA || j == fit::kLogB || j == fit::kLogE;
    const char* names[] = {"A", "B", "E", "alpha", "beta"};
    fixed[names[j]] = log_scale ? std::exp(*constraints.fixed[j]) : *constraints.fixed[j];
  }
  Json p = {{"model", scale_model_name(model)}, {"format", o.format}};
  if (model == ScaleModel::chinchilla) {
    p["huber_delta"] = number_or_null(o.huber_delta.value_or(1e-3));
    const fit::StartGrid grid = parse_start_grid(o.grid, model);
    Json axes = Json::object();
    for (int j : {fit::kAlpha, fit::kBeta, fit::kLogE, fit::kLogA, fit::kLogB}) axes[std::string(fit::kThetaNames[j])] = grid.values[j];
    p["grid"] = axes;
  } else if (model == ScaleModel::power_offset) {
    p["huber_delta"] = number_or_null(o.huber_delta.value_or(INFINITY));
    const std::vector<double> scan = parse_alpha_scan(o.grid);
    p["grid"] = {{"alpha", scan.empty() ? fit::grid_axis(0.1, 3.0, 0.1) : scan}};
  }
  p["drop_top_loss"] = o.drop_top_loss;
  p["fix"] = fixed;
  p["tie"] = constraints.tie_alpha_beta ? Json("alpha=beta") : Json(nullptr);
  p["bootstrap"] = o.bootstrap;
  p["bootstrap_grid"] = o.bootstrap_grid;
  p["ci"] = o.ci;
  p["compute"] = o.compute ? Json(*o.compute) : Json(nullptr);
  p["target_loss"] = o.target_loss ? Json(*o.target_loss) : Json(nullptr);
  p["inference_tokens"] = o.inference_tokens ? Json(*o.inference_tokens) : Json(nullptr);
  p["predict"] = o.predict;
  p["force"] = o.force;
  return p;
}

std::vector<double> log_residuals(const FitRun& run, const ScaleFitData& data) {
  std::vector<double> out;
  for (std::size_t i = 0; i < data.loss.size(); ++i)
    out.push_back(std::log(data.loss[i]) - std::log(fit::law_loss(run.law, data.n[i], data.d.empty() ? 0 : data.d[i])));
  return out;
}

std::string law_text(ScaleModel model) {
  switch (model) {
    case ScaleModel::power: return "power law y = a x^b";
    case ScaleModel::power_offset: return "power law with offset y = E + A x^-alpha";
    case ScaleModel::chinchilla: return "chinchilla law L(N, D) = E + A/N^alpha + B/D^beta";
  }
  return "";
}

}  // namespace

void setup_scale_fit(CLI::App& app) {
  ScaleFitOptions& o = g_options;
  app.add_option("file", o.file, "CSV/TSV/.npy data ('-' = stdin; none: synthetic data from Hoffmann et al.'s law)");
  app.add_option("--format", o.format, "Input format: auto (by extension), csv, tsv or npy")
      ->check(CLI::IsMember({"auto", "csv", "tsv", "npy"}))
      ->capture_default_str();
  app.add_option("--model", o.model, "power (y = a x^b), power-offset (y = E + A x^-alpha) or chinchilla (L(N, D))")
      ->check(CLI::IsMember({"power", "power-offset", "chinchilla"}))
      ->capture_default_str();
  app.add_option("--x", o.x, "Column of x for the power models (name or 0-based index; default 0)");
  app.add_option("--y", o.y, "Column of y for the power models (default 1)");
  app.add_option("--n", o.n, "Column of N, model parameters (default: N, Model Size, params... or column 0)");
  app.add_option("--d", o.d, "Column of D, training tokens (default: D, Training Tokens, tokens... or column 1)");
  app.add_option("--c", o.c, "Column of C, training FLOPs, when D is not given: D = C / (6 N)");
  app.add_option("--loss", o.loss, "Column of the loss (default: loss, L or column 2)");
  app.add_option("--drop-top-loss", o.drop_top_loss, "Drop the K rows with the highest loss before fitting")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 40));
  g_huber_option = app.add_option("--huber-delta", g_huber_delta,
                                  "Huber delta on log residuals (chinchilla default 1e-3; power-offset: least squares)");
  app.add_option("--grid", o.grid, "Starting grid, e.g. alpha=0:2:0.5,beta=0:2:0.5,e=-1:1:0.5,a=0:25:5,b=0:25:5");
  app.add_option("--fix", o.fix, "Fix a parameter: E, A, B, alpha or beta = VALUE (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--tie", o.tie, "Tie the exponents: alpha=beta");
  app.add_option("--bootstrap", o.bootstrap, "Resample the rows B times and refit, for standard errors and intervals")
      ->check(CLI::Range(std::size_t{0}, std::size_t{10'000'000}));
  app.add_flag("--bootstrap-grid", o.bootstrap_grid, "Refit each resample from the whole grid (default: from the best fit)");
  app.add_option("--ci", o.ci, "Level of the bootstrap percentile intervals")->capture_default_str();
  g_compute_option = app.add_option("--compute", g_compute, "Compute-optimal N and D for a budget of C FLOPs (C = 6 N D)");
  g_target_option = app.add_option("--target-loss", g_target_loss, "The cheapest model reaching this loss (Sardana & Frankle)");
  g_inference_option = app.add_option("--inference-tokens", g_inference_tokens,
                                      "Tokens the model will serve, counted at 2 N FLOPs each (with --target-loss)");
  app.add_option("--predict", o.predict, "Predict at N=..,D=.. or N=..,C=.. (chinchilla) or x=.. (repeatable)")
      ->allow_extra_args(false);
  app.add_flag("--force", o.force, "Overwrite an existing --plot file");
  app.footer("With no FILE, csc scale-fit fits synthetic data generated from Hoffmann et al.'s law. See man csc-scale-fit.");
}

void run_scale_fit(Invocation& inv) {
  const ScaleFitOptions o = collected_options();
  const ScaleModel model = parse_scale_model(o.model);
  check_option_combinations(o, model);
  const fit::ParamConstraints constraints = parse_constraints(o.fix, o.tie, model);
  const std::vector<PredictPoint> predict = parse_predictions(o.predict, model);
  const std::string& plot = inv.options().plot;
  std::error_code ec;
  if (!plot.empty() && !o.force && std::filesystem::exists(plot, ec))
    throw runtime_error(fmt::format("{} exists, pass --force to overwrite", plot));
  Report& report = inv.report();
  report.params = params_json(o, model, constraints);  // also checks --grid before any work

  ScaleFitData data;
  {
    auto phase = inv.phase("load");
    data = load_scale_fit_data(o, model, free_parameter_count(model, constraints), inv.seed());
  }
  if (data.embedded) inv.warn(data.description);
  report.input = {{"file", data.embedded ? Json(nullptr) : Json(data.source)},
                  {"embedded", data.embedded},
                  {"rows", data.rows},
                  {"points", data.loss.size()},
                  {"dropped", data.dropped_losses.size()},
                  {"columns", data.columns},
                  {"d_from_compute", data.d_from_compute}};

  FitRun run = model == ScaleModel::power          ? fit_power(inv, o, data)
               : model == ScaleModel::power_offset ? fit_power_offset(inv, o, data, constraints)
                                                   : fit_chinchilla(inv, o, data, constraints);
  if (o.bootstrap && run.failed_resamples > 0)
    inv.warn(fmt::format("{} of {} bootstrap refits failed and are left out of the intervals", run.failed_resamples,
                         o.bootstrap));

  Json& result = report.result;
  result["model"] = scale_model_name(model);
  result["points"] = data.loss.size();
  result["params"] = values_json(run.params);
  result["standard_errors"] = standard_errors_json(run.params);
  result["standard_errors_method"] = run.standard_errors_method;
  result["intervals"] = intervals_json(run.params);
  result.update(run.details);
  if (o.bootstrap)
    result["bootstrap"] = {{"resamples", o.bootstrap},
                           {"failed", run.failed_resamples},
                           {"ci", o.ci},
                           {"refit", o.bootstrap_grid ? "grid" : "from-best"}};

  std::string& text = report.text;
  text = fmt::format("csc scale-fit: {}\n", law_text(model));
  text += data.embedded ? fmt::format("data: {}\n", data.description)
                        : fmt::format("data: {}, {} rows{}, {} points fitted{}\n", data.source, data.rows,
                                      data.dropped_losses.empty() ? "" : fmt::format(", {} highest losses dropped", data.dropped_losses.size()),
                                      data.loss.size(), data.d_from_compute ? " (D = C / 6N)" : "");
  text += run.summary + "\n" + estimates_table(run.params, !run.resamples.empty(), o.ci);
  if (o.bootstrap)
    text += fmt::format("({} bootstrap resamples, refitted {}, {} failed)\n", o.bootstrap,
                        o.bootstrap_grid ? "from the whole grid" : "from the best fit", run.failed_resamples);
  if (o.compute) result["compute_optimal"] = compute_optimal_block(run, *o.compute, o.ci, text);
  if (o.target_loss)
    result["inference_optimal"] = inference_block(inv, run, *o.target_loss, o.inference_tokens.value_or(0), o.ci, text);
  if (!predict.empty()) result["predictions"] = predictions_block(run, model, predict, o.ci, text);

  if (!plot.empty()) {
    auto phase = inv.phase("write");
    const std::string title = fmt::format("scale-fit: {} ({} points)", law_text(model), data.loss.size());
    io::OutputFile out(plot, o.force);
    const std::string x_label = data.columns.value("x", std::string("x")), y_label = data.columns.value("y", std::string("y"));
    out.write(scale_fit_plot_svg(model, run.law, data.n, data.d, data.loss, log_residuals(run, data), title, x_label,
                                 y_label));
    out.commit();
  }
}

}  // namespace csc

// csc scale-fit: fit a neural scaling law (a power law, a power law with an offset, or Hoffmann et al.'s
// L(N, D) by their Approach 3) with bootstrap uncertainty, then answer "how big a model for this budget?".
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "kernels/fit/free_params.h"
#include "kernels/fit/multistart_fit.h"
#include "src/error.h"
#include "src/invocation.h"
#include "src/output_file.h"
#include "subcommands/scale_fit/decisions.h"
#include "subcommands/scale_fit/input.h"
#include "subcommands/scale_fit/models.h"
#include "subcommands/scale_fit/options.h"
#include "subcommands/scale_fit/plot.h"
#include "subcommands/scale_fit/report.h"

namespace csc {

namespace {

ScaleFitOptions g_options;
double g_huber_delta = 1e-3, g_compute = 0, g_target_loss = 0, g_inference_tokens = 0;
CLI::Option *g_huber_option = nullptr, *g_compute_option = nullptr, *g_target_option = nullptr,
            *g_inference_option = nullptr;

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
  // The full description goes on the report's data: line (and input.description); the warning only
  // makes sure nobody mistakes the synthetic runs for measurements.
  if (data.embedded)
    inv.warn("no FILE: fitting synthetic data generated from Hoffmann et al. (2022)'s law, not measurements; "
             "give a CSV of your own runs to fit them");
  report.input = {{"file", data.embedded ? Json(nullptr) : Json(data.source)},
                  {"embedded", data.embedded},
                  {"description", data.embedded ? Json(data.description) : Json(nullptr)},
                  {"rows", data.rows},
                  {"points", data.loss.size()},
                  {"dropped", data.dropped_losses.size()},
                  {"columns", data.columns},
                  {"d_from_compute", data.d_from_compute}};

  FitRun run = model == ScaleModel::power          ? run_power_fit(inv, o, data)
               : model == ScaleModel::power_offset ? run_power_offset_fit(inv, o, data, constraints)
                                                   : run_chinchilla_fit(inv, o, data, constraints);
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

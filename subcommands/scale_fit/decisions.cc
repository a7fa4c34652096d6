// Compute-optimal and inference-aware allocation and predictions, as JSON blocks and text tables.
#include "subcommands/scale_fit/decisions.h"

#include <cmath>

#include <fmt/format.h>

#include "kernels/fit/allocation.h"

namespace csc {

using fit::LawParams;

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

}  // namespace csc

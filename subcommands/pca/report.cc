// Result JSON and text summary of csc pca and csc pca apply.
#include "subcommands/pca/report.h"

#include <cmath>

#include <fmt/format.h>

#include "kernels/pca/spectrum.h"

namespace csc {

Json matrix_json(const std::vector<double>& values, std::size_t rows, std::size_t cols) {
  Json out = Json::array();
  for (std::size_t i = 0; i < rows; ++i)
    out.push_back(std::vector<double>(values.begin() + static_cast<std::ptrdiff_t>(i * cols),
                                      values.begin() + static_cast<std::ptrdiff_t>((i + 1) * cols)));
  return out;
}

namespace {

Json error_summary(const PassSummary& pass) {
  if (pass.rows == 0) return nullptr;
  return {{"mean", pass.sum_errors / static_cast<double>(pass.rows)},
          {"max", pass.max_error},
          {"max_row", pass.max_error_row}};
}

std::string join(const Json& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n.get<std::string>();
  return out;
}

}  // namespace

Json pca_fit_result(const pca::PcaModel& m, const PcaRunFacts& facts) {
  const std::size_t k = m.n_components, d = m.n_features;
  Json r = Json::object();
  r["n_samples"] = m.n_samples;
  r["n_features"] = d;
  r["n_components"] = k;
  r["solver"] = pca::solver_name(m.solver);
  r["solver_reason"] = m.solver_reason;
  r["gram_of_samples"] = m.solver == pca::Solver::gram ? Json(m.gram_of_samples) : Json(nullptr);
  const bool sketched = m.solver == pca::Solver::randomized || m.solver == pca::Solver::krylov;
  r["power_iterations"] = sketched ? Json(m.power_iterations) : Json(nullptr);
  r["oversample"] = sketched ? Json(m.oversample) : Json(nullptr);
  r["dtype"] = facts.dtype;
  r["explained_variance"] = m.explained_variance;
  r["explained_variance_ratio"] = m.explained_variance_ratio;
  r["cumulative_explained_variance_ratio"] = pca::cumulative_sum(m.explained_variance_ratio);
  r["singular_values"] = m.singular_values;
  r["noise_variance"] = m.noise_variance;
  r["total_variance"] = m.total_variance;
  // The squared residual summed over all cells is (n - 1) times the variance left out.
  double explained = 0;
  for (double v : m.explained_variance) explained += v;
  const double residual = std::max(m.total_variance - explained, 0.0) * static_cast<double>(m.n_samples - 1);
  r["reconstruction_rmse"] = std::sqrt(residual / (static_cast<double>(m.n_samples) * static_cast<double>(d)));
  r["reconstruction_error"] = facts.pass ? error_summary(*facts.pass) : Json(nullptr);
  Json zero = Json::array();
  for (std::size_t j : m.zero_variance_columns) zero.push_back(facts.column_names.at(j));
  r["zero_variance_columns"] = zero;
  const bool arrays = k * d <= kMaxJsonLoadings;
  r["mean"] = arrays ? Json(m.mean) : Json(nullptr);
  r["scale"] = arrays ? Json(m.scale) : Json(nullptr);
  r["components"] = arrays ? matrix_json(m.components, k, d) : Json(nullptr);
  r["out_of_core"] = facts.out_of_core;
  r["passes"] = facts.passes;
  return r;
}

Json pca_apply_result(const pca::PcaModel& m, const PassSummary& pass, std::size_t n_features) {
  Json r = Json::object();
  r["n_samples"] = pass.rows;
  r["n_features"] = n_features;
  r["n_components"] = m.n_components;
  r["reconstruction_rmse"] = pass.rows == 0 ? Json(nullptr)
                                            : Json(std::sqrt(pass.sum_errors / (static_cast<double>(pass.rows) *
                                                                                static_cast<double>(n_features))));
  r["reconstruction_error"] = error_summary(pass);
  return r;
}

std::string pca_fit_text(const Json& input, const Json& r) {
  std::string text = fmt::format("pca: {}, {} samples x {} features, K = {}{}\n", input["file"].get<std::string>(),
                                 r["n_samples"].get<std::size_t>(), r["n_features"].get<std::size_t>(),
                                 r["n_components"].get<std::size_t>(),
                                 r["out_of_core"].get<bool>() ? " (out of core)" : "");
  text += fmt::format("solver: {} - {}\n\n", r["solver"].get<std::string>(), r["solver_reason"].get<std::string>());
  TextTable table({"PC", "explained variance", "ratio", "cumulative", "singular value"});
  const auto& ev = r["explained_variance"];
  for (std::size_t i = 0; i < ev.size(); ++i)
    table.add_row({std::to_string(i + 1), format_number(ev[i].get<double>()),
                   format_number(r["explained_variance_ratio"][i].get<double>(), 4),
                   format_number(r["cumulative_explained_variance_ratio"][i].get<double>(), 4),
                   format_number(r["singular_values"][i].get<double>())});
  text += table.render();
  text += fmt::format("\nnoise variance {}, total variance {}, reconstruction RMSE {}\n",
                      format_number(r["noise_variance"].get<double>()), format_number(r["total_variance"].get<double>()),
                      format_number(r["reconstruction_rmse"].get<double>()));
  if (!r["reconstruction_error"].is_null())
    text += fmt::format("largest reconstruction error {} at row {}\n",
                        format_number(r["reconstruction_error"]["max"].get<double>()),
                        r["reconstruction_error"]["max_row"].get<std::size_t>());
  if (!r["zero_variance_columns"].empty())
    text += fmt::format("zero-variance columns: {}\n", join(r["zero_variance_columns"]));
  return text;
}

std::string pca_apply_text(const Json& input, const Json& r) {
  std::string text = fmt::format("pca apply: {} with model {}, {} samples x {} features, K = {}\n",
                                 input["file"].get<std::string>(), input["model"].get<std::string>(),
                                 r["n_samples"].get<std::size_t>(), r["n_features"].get<std::size_t>(),
                                 r["n_components"].get<std::size_t>());
  if (!r["reconstruction_error"].is_null())
    text += fmt::format("reconstruction RMSE {}, mean squared error per row {}, largest {} at row {}\n",
                        format_number(r["reconstruction_rmse"].get<double>()),
                        format_number(r["reconstruction_error"]["mean"].get<double>()),
                        format_number(r["reconstruction_error"]["max"].get<double>()),
                        r["reconstruction_error"]["max_row"].get<std::size_t>());
  return text;
}

}  // namespace csc

// csc pca's report: the result keys (documented one by one in csc-pca(1)) and the text summary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kernels/pca/pca_model.h"
#include "src/report.h"
#include "subcommands/pca/pass.h"

namespace csc {

// Arrays of length d (components, mean, scale) appear in the JSON only up to this many numbers in
// `components` (K × d); beyond it they are null and a warning points to --components-out / --model-out.
inline constexpr std::size_t kMaxJsonLoadings = 100000;

struct PcaRunFacts {
  std::string dtype;                    // "float32" | "float64"
  bool out_of_core = false;
  int passes = 1;                       // over the input
  std::vector<std::string> column_names;
  std::optional<PassSummary> pass;      // per-row errors, when a transform pass ran
};

// Rows of a row-major rows×cols matrix as a JSON array of arrays (components in the result and the model file).
Json matrix_json(const std::vector<double>& values, std::size_t rows, std::size_t cols);

// result of `csc pca` (the fit).
Json pca_fit_result(const pca::PcaModel& model, const PcaRunFacts& facts);
// result of `csc pca apply`.
Json pca_apply_result(const pca::PcaModel& model, const PassSummary& pass, std::size_t n_features);

// The human summary: a header line, the solver and why, a table of components, the scalar results.
std::string pca_fit_text(const Json& input, const Json& result);
std::string pca_apply_text(const Json& input, const Json& result);

}  // namespace csc

// csc scale-fit's options as parsed, and their translation into the fit kernels' settings: the model,
// the start grid (--grid), --fix/--tie constraints and --predict points. Bad syntax is a usage error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "kernels/fit/free_params.h"
#include "kernels/fit/multistart_fit.h"

namespace csc {

enum class ScaleModel { power, power_offset, chinchilla };

struct ScaleFitOptions {
  std::string file;  // empty: the embedded synthetic data
  std::string format = "auto";
  std::string model = "chinchilla";
  std::string x, y, n, d, c, loss;  // column names or 0-based indices; empty: detected
  std::size_t drop_top_loss = 0;
  std::optional<double> huber_delta;  // default: 1e-3 for chinchilla, least squares for power-offset
  std::string grid;
  std::vector<std::string> fix;
  std::string tie;
  std::size_t bootstrap = 0;
  bool bootstrap_grid = false;
  double ci = 0.95;
  std::optional<double> compute;
  std::optional<double> target_loss;
  std::optional<double> inference_tokens;
  std::vector<std::string> predict;
  bool force = false;
};

ScaleModel parse_scale_model(const std::string& name);
const char* scale_model_name(ScaleModel model);

// The number in `text` (all of it); usage_error naming `what` otherwise.
double parse_number(const std::string& text, const std::string& what);

// Hoffmann's grid with the axes named in `text` replaced: "alpha=0:2:0.5,e=-1:1:0.25,a=5" (lo:hi:step,
// or one value). Names a, b, e (log A, log B, log E), alpha, beta; power-offset knows only alpha.
fit::StartGrid parse_start_grid(const std::string& text, ScaleModel model);
// The alpha scan of the power-offset fit (empty: the kernel's default).
std::vector<double> parse_alpha_scan(const std::string& text);

// --fix E=1.69 --fix alpha=0.34 (law-space values: E, A, B > 0) and --tie alpha=beta.
fit::ParamConstraints parse_constraints(const std::vector<std::string>& fix, const std::string& tie, ScaleModel model);

// --predict N=1e9,D=2e10 (or N=..,C=.. with D = C / (6 N)) for chinchilla; x=... for power laws.
struct PredictPoint {
  double n = 0;  // N, or x
  double d = 0;  // D (chinchilla only)
};
std::vector<PredictPoint> parse_predictions(const std::vector<std::string>& texts, ScaleModel model);

}  // namespace csc

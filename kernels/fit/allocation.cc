// Closed forms for the compute-optimal split; a bracketed bisection in log D for the inference-aware one.
#include "kernels/fit/allocation.h"

namespace csc::fit {

ComputeOptimal compute_optimal(const LawParams& law, double compute_flops) {
  ComputeOptimal out;
  const double sum = law.alpha + law.beta;
  if (!(sum > 0) || !(law.A > 0) || !(law.B > 0) || !(law.alpha > 0) || !(law.beta > 0) || !(compute_flops > 0))
    return out;
  out.a = law.beta / sum;
  out.b = law.alpha / sum;
  out.G = std::pow(law.alpha * law.A / (law.beta * law.B), 1.0 / sum);
  out.n_opt = out.G * std::pow(compute_flops / 6.0, out.a);
  out.d_opt = std::pow(compute_flops / 6.0, out.b) / out.G;
  out.tokens_per_parameter = out.d_opt / out.n_opt;
  out.loss = law_loss(law, out.n_opt, out.d_opt);
  return out;
}

std::optional<InferenceOptimal> inference_optimal(const LawParams& law, double target_loss, double inference_tokens) {
  const double gap = target_loss - law.E;
  if (!(gap > 0) || !(law.A > 0) || !(law.B > 0) || !(law.alpha > 0) || !(law.beta > 0) ||
      !(inference_tokens >= 0) || !std::isfinite(inference_tokens))
    return std::nullopt;
  // g(log D) < 0 at D_min, where B D^-beta = l - E (no finite N reaches l), and > 0 as D grows.
  const auto g = [&](double log_d) {
    const double d = std::exp(log_d);
    return 6 * law.alpha * gap -
           law.B * std::exp(-law.beta * log_d) * (6 * (law.alpha + law.beta) + 2 * law.beta * inference_tokens / d);
  };
  double lo = std::log(law.B / gap) / law.beta;  // log D_min
  double hi = lo + 1.0;
  for (double step = 1.0; g(hi) <= 0; step *= 2) {
    lo = hi, hi = lo + step;
    if (hi > 1000) return std::nullopt;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-14 * std::max(1.0, std::abs(hi)); ++i) {
    const double mid = 0.5 * (lo + hi);
    (g(mid) > 0 ? hi : lo) = mid;
  }
  InferenceOptimal out;
  out.d_train = std::exp(0.5 * (lo + hi));
  out.n = std::pow(law.A / (gap - law.B * std::pow(out.d_train, -law.beta)), 1.0 / law.alpha);
  out.train_flops = 6 * out.n * out.d_train;
  out.inference_flops = 2 * out.n * inference_tokens;
  out.total_flops = out.train_flops + out.inference_flops;
  return out;
}

}  // namespace csc::fit

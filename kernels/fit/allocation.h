// Decisions from a fitted L(N, D) = E + A/N^alpha + B/D^beta: how to split a compute budget between
// parameters and tokens (Hoffmann et al. 2022, eq. 4 with C = 6 N D), and the model that reaches a
// target loss most cheaply once inference tokens are counted too (Sardana & Frankle 2023).
#pragma once

#include <cmath>
#include <optional>

#include "kernels/fit/scaling_law.h"

namespace csc::fit {

struct ComputeOptimal {
  double a = NAN, b = NAN;  // exponents: N_opt ~ C^a, D_opt ~ C^b (a + b = 1)
  double G = NAN;           // (alpha A / (beta B))^(1 / (alpha + beta))
  double n_opt = NAN, d_opt = NAN, tokens_per_parameter = NAN, loss = NAN;
};

// For a budget of C = 6 N D FLOPs: N_opt = G (C/6)^a, D_opt = (C/6)^b / G. NaN fields when the
// law is degenerate (alpha + beta <= 0, a non-positive A or B).
ComputeOptimal compute_optimal(const LawParams& law, double compute_flops);

struct InferenceOptimal {
  double n = NAN, d_train = NAN;
  double train_flops = NAN, inference_flops = NAN, total_flops = NAN;  // 6 N D_tr, 2 N D_inf, sum
};

// Minimises 6 N D_tr + 2 N D_inf subject to L(N, D_tr) = target: D_tr is the root of
//   6 alpha (l - E) = B D^-beta [6 (alpha + beta) + 2 beta D_inf / D],
// which is unique for l > E (the right side falls monotonically), then N = (A / (l - E - B D^-beta))^(1/alpha).
// inference_tokens = 0 gives the Chinchilla-optimal model for that loss. nullopt when target <= E or
// the law is degenerate.
std::optional<InferenceOptimal> inference_optimal(const LawParams& law, double target_loss, double inference_tokens);

}  // namespace csc::fit

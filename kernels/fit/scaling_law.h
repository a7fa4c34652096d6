// The parametric loss L(N, D) = E + A/N^alpha + B/D^beta of Hoffmann et al. (2022) and the log-space
// parameter vector theta = (a, b, e, alpha, beta) = (log A, log B, log E, alpha, beta) the fits work in.
#pragma once

#include <array>
#include <string_view>

namespace csc::fit {

enum Param : int { kLogA = 0, kLogB = 1, kLogE = 2, kAlpha = 3, kBeta = 4, kParamCount = 5 };
using Theta = std::array<double, kParamCount>;

// Names as the user types them (--fix, --grid): a, b, e, alpha, beta.
constexpr std::array<std::string_view, kParamCount> kThetaNames = {"a", "b", "e", "alpha", "beta"};

struct LawParams {
  double E = 0, A = 0, B = 0, alpha = 0, beta = 0;
};

// Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", Approach 3 (their eq. 10).
inline constexpr LawParams kHoffmann2022{1.69, 406.4, 410.7, 0.34, 0.28};

LawParams law_from_theta(const Theta& theta);

// L(N, D); with one term (B == 0) this is E + A/N^alpha and D is ignored.
double law_loss(const LawParams& law, double n, double d);

}  // namespace csc::fit

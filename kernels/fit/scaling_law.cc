// The law's parameters from the log-space vector the optimiser moves, and the law's value.
#include "kernels/fit/scaling_law.h"

#include <cmath>

namespace csc::fit {

LawParams law_from_theta(const Theta& theta) {
  return {std::exp(theta[kLogE]), std::exp(theta[kLogA]), std::exp(theta[kLogB]), theta[kAlpha], theta[kBeta]};
}

double law_loss(const LawParams& law, double n, double d) {
  double loss = law.E + law.A * std::pow(n, -law.alpha);
  if (law.B > 0) loss += law.B * std::pow(d, -law.beta);
  return loss;
}

}  // namespace csc::fit

// The map between theta and the vector of free parameters the L-BFGS minimiser sees.
#include "kernels/fit/free_params.h"

#include <cmath>
#include <stdexcept>

namespace csc::fit {

FreeParams::FreeParams(int terms, const ParamConstraints& constraints) {
  if (terms != 1 && terms != 2) throw std::invalid_argument("FreeParams: terms must be 1 or 2");
  if (constraints.tie_alpha_beta && (terms != 2 || constraints.fixed[kAlpha] || constraints.fixed[kBeta]))
    throw std::invalid_argument("FreeParams: alpha=beta needs the two-term law with alpha and beta free");
  for (int j = 0; j < kParamCount; ++j) {
    const bool absent = terms == 1 && (j == kLogB || j == kBeta);
    if (absent) {
      slot_[j] = -1, fixed_value_[j] = 0.0;
    } else if (constraints.fixed[j]) {
      if (!std::isfinite(*constraints.fixed[j])) throw std::invalid_argument("FreeParams: fixed value not finite");
      slot_[j] = -1, fixed_value_[j] = *constraints.fixed[j];
    } else if (j == kBeta && constraints.tie_alpha_beta) {
      slot_[j] = slot_[kAlpha];  // alpha comes before beta in theta, so its slot exists
    } else {
      slot_[j] = dim_++;
    }
  }
  if (dim_ == 0) throw std::invalid_argument("FreeParams: every parameter is fixed");
}

bool FreeParams::owns_slot(int j) const {
  return slot_[j] >= 0 && !(j == kBeta && slot_[kBeta] == slot_[kAlpha]);
}

Theta FreeParams::expand(const double* free) const {
  Theta theta;
  for (int j = 0; j < kParamCount; ++j) theta[j] = slot_[j] >= 0 ? free[slot_[j]] : fixed_value_[j];
  return theta;
}

void FreeParams::gather(const Theta& theta, double* free) const {
  for (int j = 0; j < kParamCount; ++j)
    if (owns_slot(j)) free[slot_[j]] = theta[j];
}

void FreeParams::reduce_gradient(const Theta& grad, double* free_grad) const {
  for (int k = 0; k < dim_; ++k) free_grad[k] = 0.0;
  for (int j = 0; j < kParamCount; ++j)
    if (slot_[j] >= 0) free_grad[slot_[j]] += grad[j];
}

}  // namespace csc::fit

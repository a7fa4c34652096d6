// Which entries of theta the optimiser moves: --fix pins a parameter, --tie alpha=beta makes beta follow
// alpha, and a one-term law (E + A/x^alpha) has no b or beta at all.
#pragma once

#include <array>
#include <optional>

#include "kernels/fit/scaling_law.h"

namespace csc::fit {

struct ParamConstraints {
  std::array<std::optional<double>, kParamCount> fixed;  // theta-space values (e = log E, a = log A, ...)
  bool tie_alpha_beta = false;
};

class FreeParams {
 public:
  // Throws std::invalid_argument when nothing is left free, a fixed value is not finite, or alpha=beta is
  // asked for with a one-term law or with alpha or beta fixed.
  FreeParams(int terms, const ParamConstraints& constraints);

  int dim() const { return dim_; }
  // The free slot theta[j] reads, or -1 when theta[j] is fixed.
  int slot(int j) const { return slot_[j]; }
  bool is_free(int j) const { return slot_[j] >= 0; }
  // Whether theta[j] owns its slot (a tied beta does not: it copies alpha's).
  bool owns_slot(int j) const;

  Theta expand(const double* free) const;
  void gather(const Theta& theta, double* free) const;
  // d f / d free from d f / d theta: tied entries add up.
  void reduce_gradient(const Theta& grad, double* free_grad) const;

 private:
  int dim_ = 0;
  std::array<int, kParamCount> slot_{};
  Theta fixed_value_{};
};

}  // namespace csc::fit

// The deterministic sign of a principal component: its entry of largest magnitude is positive.
#pragma once

#include <cstddef>

namespace csc::pca {

// Flips every row of the row-major k×d matrix whose largest-|value| entry (the first one on ties) is
// negative. This is scikit-learn's svd_flip(u_based_decision=False) rule (its default since 1.5).
void apply_sign_rule(double* rows, std::size_t k, std::size_t d);

}  // namespace csc::pca

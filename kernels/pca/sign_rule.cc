// The sign rule for components: largest-|loading| entry positive.
#include "kernels/pca/sign_rule.h"

#include <cmath>

namespace csc::pca {

void apply_sign_rule(double* rows, std::size_t k, std::size_t d) {
  for (std::size_t i = 0; i < k; ++i) {
    double* row = rows + i * d;
    std::size_t arg = 0;
    for (std::size_t j = 1; j < d; ++j)
      if (std::abs(row[j]) > std::abs(row[arg])) arg = j;
    if (d > 0 && row[arg] < 0)
      for (std::size_t j = 0; j < d; ++j) row[j] = 0.0 - row[j];  // 0 - x: a zero loading stays +0, not -0
  }
}

}  // namespace csc::pca

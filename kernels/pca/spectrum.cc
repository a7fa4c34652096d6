// Explained variance, ratios and noise variance from the leading squared singular values.
#include "kernels/pca/spectrum.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace csc::pca {

void fill_spectrum(PcaModel& model, std::span<const double> squared_singular_values) {
  const std::size_t k = squared_singular_values.size();
  const double dof = static_cast<double>(model.n_samples) - 1.0;
  model.n_components = k;
  model.explained_variance.resize(k);
  model.explained_variance_ratio.resize(k);
  model.singular_values.resize(k);
  double explained = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double s2 = std::max(squared_singular_values[i], 0.0);
    model.singular_values[i] = std::sqrt(s2);
    model.explained_variance[i] = s2 / dof;
    model.explained_variance_ratio[i] = model.explained_variance[i] / model.total_variance;
    explained += model.explained_variance[i];
  }
  const std::size_t rank_bound = std::min(model.n_samples, model.n_features);
  model.noise_variance =
      k < rank_bound ? std::max(model.total_variance - explained, 0.0) / static_cast<double>(rank_bound - k) : 0.0;
}

std::vector<double> cumulative_sum(std::span<const double> ratios) {
  std::vector<double> out(ratios.size());
  std::partial_sum(ratios.begin(), ratios.end(), out.begin());
  return out;
}

std::size_t components_for_variance(std::span<const double> ratios, double target) {
  // A target of 1 asks for everything; rounding may leave the full sum a hair below 1.
  const double threshold = target >= 1.0 ? 1.0 - 1e-12 : target;
  double sum = 0;
  for (std::size_t i = 0; i < ratios.size(); ++i) {
    sum += ratios[i];
    if (target >= 1.0 ? sum >= threshold : sum > threshold) return i + 1;
  }
  return 0;
}

}  // namespace csc::pca

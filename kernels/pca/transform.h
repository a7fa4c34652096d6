// Applying a fitted PCA to rows: preprocessing, scores (optionally whitened), per-row reconstruction
// error (an anomaly score) and the reconstruction in the original units (denoising), as scikit-learn's
// transform / inverse_transform do.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/pca/pca_model.h"

namespace csc::pca {

template <class T>
class Projector {
 public:
  // Throws std::invalid_argument when the model's arrays do not match its sizes.
  Projector(const PcaModel& model, bool whiten);

  std::size_t n_features() const { return d_; }
  std::size_t n_components() const { return k_; }
  // True when a component's variance is zero up to rounding (below 1e-12 of the first), so whitening
  // leaves its score at 0 rather than dividing by (nearly) 0.
  bool whitening_clipped() const { return whitening_clipped_; }

  // For n rows a (leading dimension lda): unless already_preprocessed, first a = (a - mean) / scale in
  // place; then scores (n×K, row-major, required) = a Vᵀ, divided by sqrt(explained_variance) when
  // whitening; when given, errors[i] = |a_i - s_i V|^2 (the squared reconstruction error in the
  // analysed units) and reconstruction (n×d) = s V * scale + mean (original units). Threads take
  // chunks of rows and do all of it while the chunk is in cache.
  void transform(T* a, std::size_t n, std::size_t lda, bool already_preprocessed, T* scores, double* errors,
                 T* reconstruction) const;

 private:
  std::size_t d_, k_;
  std::vector<T> components_;  // K×d
  std::vector<T> mean_, scale_, inverse_scale_;
  std::vector<T> whiten_;      // K factors 1/sqrt(explained variance); empty without whitening
  bool whitening_clipped_ = false;
};

extern template class Projector<float>;
extern template class Projector<double>;

}  // namespace csc::pca

// Projector: scores, reconstruction errors and reconstructions through our GEMM.
#include "kernels/pca/transform.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/linalg/gemm.h"
#include "kernels/pca/row_ops.h"

namespace csc::pca {

namespace {
// Rows per chunk: the chunk and its reconstruction stay in L2 (about 512 KiB each), between 16 and
// 1024 rows. A fixed 1024 rows made 80 MB reconstruction buffers for 20000 columns of floats, and
// faulting them in cost more than the products.
constexpr std::size_t kChunkBytes = std::size_t{512} << 10;
constexpr std::size_t kMinChunkRows = 16, kMaxChunkRows = 1024;
std::size_t chunk_rows(std::size_t d, std::size_t element) {
  return std::clamp<std::size_t>(kChunkBytes / std::max<std::size_t>(d * element, 1), kMinChunkRows, kMaxChunkRows);
}
// Below this many multiply-adds a projection runs on one thread (see linalg's threads_for: idle
// OpenMP workers spinning after a region slow the serial work that follows).
constexpr double kMinParallelFlops = 1.6e7;
}

template <class T>
Projector<T>::Projector(const PcaModel& model, bool whiten)
    : d_(model.n_features), k_(model.n_components) {
  if (model.components.size() != k_ * d_ || model.mean.size() != d_ || model.scale.size() != d_ ||
      model.explained_variance.size() != k_)
    throw std::invalid_argument("Projector: model arrays do not match n_features x n_components");
  components_.assign(model.components.begin(), model.components.end());
  mean_.assign(model.mean.begin(), model.mean.end());
  scale_.assign(model.scale.begin(), model.scale.end());
  inverse_scale_.resize(d_);
  for (std::size_t j = 0; j < d_; ++j) inverse_scale_[j] = static_cast<T>(1.0 / model.scale[j]);
  if (whiten) {
    // Below 1e-12 of the first variance a component is zero up to rounding: dividing by its root
    // would only amplify rounding noise (or divide by zero).
    whiten_.resize(k_);
    const double floor = k_ > 0 ? model.explained_variance[0] * 1e-12 : 0.0;
    for (std::size_t i = 0; i < k_; ++i) {
      const double v = model.explained_variance[i];
      const bool usable = v > floor && v > 0;
      whiten_[i] = usable ? static_cast<T>(1.0 / std::sqrt(v)) : T(0);
      whitening_clipped_ = whitening_clipped_ || !usable;
    }
  }
}

template <class T>
void Projector<T>::transform(T* a, std::size_t n, std::size_t lda, bool already_preprocessed, T* scores,
                             double* errors, T* reconstruction) const {
  using linalg::Op;
  const std::size_t chunk = chunk_rows(d_, sizeof(T));
  const std::size_t chunks = (n + chunk - 1) / chunk;
  const bool approximate = errors != nullptr || reconstruction != nullptr;
  const double flops = 2.0 * static_cast<double>(n) * static_cast<double>(d_) * static_cast<double>(k_) *
                       (approximate ? 2.0 : 1.0);
#pragma omp parallel if (chunks > 1 && flops >= kMinParallelFlops)
  {
    std::vector<T> approx(approximate ? std::min(n, chunk) * d_ : 0);
#pragma omp for schedule(dynamic, 1)
    for (std::ptrdiff_t c = 0; c < static_cast<std::ptrdiff_t>(chunks); ++c) {
      const std::size_t begin = static_cast<std::size_t>(c) * chunk;
      const std::size_t rows = std::min(chunk, n - begin);
      T* block = a + begin * lda;
      T* s = scores + begin * k_;
      if (!already_preprocessed) centre_rows(block, rows, d_, lda, mean_.data(), inverse_scale_.data());
      // Inside the parallel region the GEMMs run on this thread alone (nested regions get one thread).
      linalg::gemm(Op::none, Op::transpose, rows, k_, d_, T(1), block, lda, components_.data(), d_, T(0), s, k_);
      if (approximate) {
        linalg::gemm(Op::none, Op::none, rows, d_, k_, T(1), s, k_, components_.data(), d_, T(0), approx.data(), d_);
        if (errors != nullptr) squared_residuals(block, lda, approx.data(), d_, rows, d_, errors + begin);
        if (reconstruction != nullptr)
          uncentre_rows(approx.data(), d_, rows, d_, scale_.data(), mean_.data(), reconstruction + begin * d_, d_);
      }
      if (!whiten_.empty())
        for (std::size_t i = 0; i < rows; ++i)
          for (std::size_t q = 0; q < k_; ++q) s[i * k_ + q] *= whiten_[q];
    }
  }
}

template class Projector<float>;
template class Projector<double>;

}  // namespace csc::pca

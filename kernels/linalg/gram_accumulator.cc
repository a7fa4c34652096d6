// Streaming centred Gram matrix (count, means, scatter) merged block by block with Chan et al.'s update.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/linalg/syrk.h"

namespace csc::linalg {
namespace {

// Rows per SYRK call: enough for the product to run at full speed, few enough that the centred copy
// stays around 8 MiB and float partial sums stay short.
std::size_t chunk_rows(std::size_t d) {
  return std::clamp<std::size_t>((std::size_t{8} << 20) / (std::max<std::size_t>(d, 1) * 4), 256, 8192);
}

// hi + lo -> (fl(hi + lo), the rounding error): Knuth's TwoSum, exact for any magnitudes.
void two_sum(double& hi, double& lo) {
  const double sum = hi + lo;
  const double lo_part = sum - hi;
  lo = (hi - (sum - lo_part)) + (lo - lo_part);
  hi = sum;
}

}  // namespace

template <class T>
GramAccumulator<T>::GramAccumulator(std::size_t d)
    : d_(d), mean_(d, 0.0), mean_lo_(d, 0.0), scatter_lower_(d * d, 0.0) {}

template <class T>
void GramAccumulator<T>::add_block(const T* rows, std::size_t n_rows, std::size_t ld) {
  if (n_rows == 0 || d_ == 0) {
    count_ += n_rows;
    return;
  }
  if (ld < d_)
    throw std::invalid_argument("GramAccumulator: leading dimension (" + std::to_string(ld) +
                                ") is smaller than the row width (" + std::to_string(d_) + ")");
  if (rows == nullptr) throw std::invalid_argument("GramAccumulator: rows are null but not empty");

  const std::size_t d = d_;
  const std::size_t chunk = std::min(chunk_rows(d), n_rows);
  const int threads = chunk * d >= (std::size_t{1} << 16) ? std::max(1, omp_get_max_threads()) : 1;
  std::vector<T> centred(chunk * d);
  std::vector<T> gram(d * d), centre(d);
  std::vector<double> centre_hi(d), offset(d), stored_mean(d), s_b(d * d);
  // Per thread: column sums of x, of x - c in double, and of the stored x - c.
  std::vector<double> partial(static_cast<std::size_t>(threads) * 3 * d);
  for (std::size_t start = 0; start < n_rows; start += chunk) {
    const std::size_t nb = std::min(chunk, n_rows - start);
    const T* x = rows + start * ld;
    int team = 1;
    // Two passes over the chunk, split by rows; partial sums are combined in thread order so that the
    // result depends only on the thread count.
#pragma omp parallel num_threads(threads)
    {
      const std::size_t t = static_cast<std::size_t>(omp_get_thread_num());
      const std::size_t parts = static_cast<std::size_t>(omp_get_num_threads());
      const std::size_t r0 = nb * t / parts, r1 = nb * (t + 1) / parts;
      double* sum = partial.data() + t * 3 * d;
      double* diff = sum + d;
      double* stored = diff + d;
      std::fill(sum, sum + 3 * d, 0.0);
      for (std::size_t i = r0; i < r1; ++i)
        for (std::size_t j = 0; j < d; ++j) sum[j] += static_cast<double>(x[i * ld + j]);
#pragma omp barrier
      // The chunk's mean, rounded to T, becomes its centre c; x - c is small (and exact when both are
      // close), which is what keeps a 1e6 offset from swamping unit-sized variation.
#pragma omp single
      {
        team = static_cast<int>(parts);
        for (std::size_t j = 0; j < d; ++j) {
          double total = 0;
          for (std::size_t s = 0; s < parts; ++s) total += partial[s * 3 * d + j];
          centre[j] = static_cast<T>(total / static_cast<double>(nb));
        }
      }
      for (std::size_t i = r0; i < r1; ++i)
        for (std::size_t j = 0; j < d; ++j) {
          const T v = x[i * ld + j] - centre[j];
          centred[i * d + j] = v;
          diff[j] += static_cast<double>(x[i * ld + j]) - static_cast<double>(centre[j]);
          stored[j] += static_cast<double>(v);
        }
    }
    // offset: mean of x - c in double (the chunk mean is exactly c + offset); stored_mean: mean of the
    // centred values as stored in T, which SYRK sees.
    for (std::size_t j = 0; j < d; ++j) {
      double diff = 0, stored = 0;
      for (std::size_t s = 0; s < static_cast<std::size_t>(team); ++s) {
        diff += partial[s * 3 * d + d + j];
        stored += partial[s * 3 * d + 2 * d + j];
      }
      offset[j] = diff / static_cast<double>(nb);
      stored_mean[j] = stored / static_cast<double>(nb);
      centre_hi[j] = static_cast<double>(centre[j]);
    }
    syrk(Triangle::lower, Op::transpose, d, nb, T(1), centred.data(), d, T(0), gram.data(), d);
    // Scatter of the centred values about their own mean: sum v v^T - nb * mean(v) mean(v)^T.
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = 0; j <= i; ++j)
        s_b[i * d + j] =
            static_cast<double>(gram[i * d + j]) - static_cast<double>(nb) * stored_mean[i] * stored_mean[j];
    merge_part(nb, centre_hi.data(), offset.data(), s_b.data());
  }
}

template <class T>
void GramAccumulator<T>::merge(const GramAccumulator& other) {
  if (other.d_ != d_)
    throw std::invalid_argument("GramAccumulator::merge: dimensions differ (" + std::to_string(d_) + " and " +
                                std::to_string(other.d_) + ")");
  if (other.count_ == 0) return;
  merge_part(other.count_, other.mean_.data(), other.mean_lo_.data(), other.scatter_lower_.data());
}

// Chan, Golub & LeVeque: n = na + nb, delta = mean_b - mean_a,
// S = S_a + S_b + delta delta^T * na * nb / n, mean = mean_a + delta * nb / n.
// The means are hi + lo pairs; delta is formed from both parts (hi_b - hi_a is exact when the means
// are close, which is the hard case) and the mean update is a compensated (TwoSum) addition.
template <class T>
void GramAccumulator<T>::merge_part(std::size_t n_b, const double* mean_hi, const double* mean_lo,
                                    const double* s_b) {
  if (count_ == 0) {  // the first part: its mean and scatter as they are
    for (std::size_t j = 0; j < d_; ++j) {
      mean_[j] = mean_hi[j];
      mean_lo_[j] = mean_lo[j];
      two_sum(mean_[j], mean_lo_[j]);
    }
    for (std::size_t i = 0; i < d_; ++i) std::copy(s_b + i * d_, s_b + i * d_ + i + 1, scatter_lower_.begin() + i * d_);
    count_ = n_b;
    return;
  }
  const double na = static_cast<double>(count_);
  const double nb = static_cast<double>(n_b);
  const double n = na + nb;
  const double weight = na * nb / n;
  std::vector<double> delta(d_);
  for (std::size_t j = 0; j < d_; ++j) delta[j] = (mean_hi[j] - mean_[j]) + (mean_lo[j] - mean_lo_[j]);
  for (std::size_t i = 0; i < d_; ++i) {
    double* row = scatter_lower_.data() + i * d_;
    const double* add = s_b + i * d_;
    const double wi = weight * delta[i];
    for (std::size_t j = 0; j <= i; ++j) row[j] += add[j] + wi * delta[j];
  }
  for (std::size_t j = 0; j < d_; ++j) {
    double step = delta[j] * (nb / n);
    two_sum(mean_[j], step);  // mean_ + step exactly = new mean_ + step
    mean_lo_[j] += step;
    two_sum(mean_[j], mean_lo_[j]);
  }
  count_ += n_b;
}

template <class T>
std::vector<double> GramAccumulator<T>::scatter() const {
  std::vector<double> full(scatter_lower_);
  symmetrize(Triangle::lower, d_, full.data(), d_);
  return full;
}

template class GramAccumulator<float>;
template class GramAccumulator<double>;

}  // namespace csc::linalg

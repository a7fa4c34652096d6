// Gram matrices through SYRK, in double (float input summed per slice in float, slices in double).
#include "kernels/pca/gram.h"

#include <algorithm>

#include "kernels/linalg/device_linalg.h"
#include "kernels/linalg/syrk.h"

namespace csc::pca {

namespace {

constexpr std::size_t kFloatSlice = 8192;
constexpr std::size_t kDeviceSliceBytes = std::size_t{256} << 20;
using linalg::Op;
using linalg::Triangle;

// The sum over slices [begin, begin + width) of [0, extent) of the dim×dim Gram matrices that
// `slice_syrk(begin, width, part)` writes (lower triangle, leading dimension dim) in T, added in double;
// returned full.
template <class T, class SliceSyrk>
std::vector<double> sum_of_slices(std::size_t dim, std::size_t extent, std::size_t slice, SliceSyrk slice_syrk) {
  std::vector<double> g(dim * dim, 0.0);
  std::vector<T> part(dim * dim);
  for (std::size_t begin = 0; begin < extent; begin += slice) {
    const std::size_t width = std::min(slice, extent - begin);
    slice_syrk(begin, width, part.data());
    for (std::size_t i = 0; i < dim; ++i)
      for (std::size_t j = 0; j <= i; ++j) g[i * dim + j] += part[i * dim + j];
  }
  linalg::symmetrize(Triangle::lower, dim, g.data(), dim);
  return g;
}

// Slice extent for a device: float slices of `float_slice` (summed in float there), any slice at most
// kDeviceSliceBytes of A given `cross` elements across the slice direction; at least 1.
template <class T>
std::size_t device_slice(std::size_t float_slice, std::size_t cross) {
  const std::size_t by_memory = std::max<std::size_t>(1, kDeviceSliceBytes / sizeof(T) / std::max<std::size_t>(cross, 1));
  return sizeof(T) == 4 ? std::min(float_slice, by_memory) : by_memory;
}

template <class T>
std::vector<double> samples_gram_on(const linalg::CudaLinalg& device, const T* a, std::size_t n, std::size_t d,
                                    std::size_t lda) {
  return sum_of_slices<T>(n, d, device_slice<T>(kFloatSlice, n), [&](std::size_t begin, std::size_t width, T* part) {
    device.syrk(Triangle::lower, Op::none, n, width, T(1), a + begin, lda, T(0), part, n);
  });
}

template <class T>
std::vector<double> features_gram_on(const linalg::CudaLinalg& device, const T* a, std::size_t n, std::size_t d,
                                     std::size_t lda) {
  // At least d rows per slice: the d×d result coming back is then no larger than the slice sent.
  const std::size_t rows = device_slice<T>(std::max(kFloatSlice, d), d);
  return sum_of_slices<T>(d, n, rows, [&](std::size_t begin, std::size_t height, T* part) {
    device.syrk(Triangle::lower, Op::transpose, d, height, T(1), a + begin * lda, lda, T(0), part, d);
  });
}

}  // namespace

std::vector<double> samples_gram(const double* a, std::size_t n, std::size_t d, std::size_t lda,
                                 const linalg::CudaLinalg* device) {
  if (device != nullptr) return samples_gram_on(*device, a, n, d, lda);
  std::vector<double> g(n * n, 0.0);
  linalg::syrk(Triangle::lower, Op::none, n, d, 1.0, a, lda, 0.0, g.data(), n);
  linalg::symmetrize(Triangle::lower, n, g.data(), n);
  return g;
}

std::vector<double> samples_gram(const float* a, std::size_t n, std::size_t d, std::size_t lda,
                                 const linalg::CudaLinalg* device) {
  if (device != nullptr) return samples_gram_on(*device, a, n, d, lda);
  return sum_of_slices<float>(n, d, kFloatSlice, [&](std::size_t begin, std::size_t width, float* part) {
    linalg::syrk(Triangle::lower, Op::none, n, width, 1.0f, a + begin, lda, 0.0f, part, n);
  });
}

std::vector<double> features_gram(const float* a, std::size_t n, std::size_t d, std::size_t lda,
                                  const linalg::CudaLinalg& device) {
  return features_gram_on(device, a, n, d, lda);
}
std::vector<double> features_gram(const double* a, std::size_t n, std::size_t d, std::size_t lda,
                                  const linalg::CudaLinalg& device) {
  return features_gram_on(device, a, n, d, lda);
}

}  // namespace csc::pca

// AAᵀ through SYRK, in double (float input summed per slice of columns in float, slices in double).
#include "kernels/pca/gram.h"

#include <algorithm>

#include "kernels/linalg/syrk.h"

namespace csc::pca {

namespace {
constexpr std::size_t kFloatSlice = 8192;
using linalg::Op;
using linalg::Triangle;
}  // namespace

std::vector<double> samples_gram(const double* a, std::size_t n, std::size_t d, std::size_t lda) {
  std::vector<double> g(n * n, 0.0);
  linalg::syrk(Triangle::lower, Op::none, n, d, 1.0, a, lda, 0.0, g.data(), n);
  linalg::symmetrize(Triangle::lower, n, g.data(), n);
  return g;
}

std::vector<double> samples_gram(const float* a, std::size_t n, std::size_t d, std::size_t lda) {
  std::vector<double> g(n * n, 0.0);
  std::vector<float> part(n * n);
  for (std::size_t begin = 0; begin < d; begin += kFloatSlice) {
    const std::size_t width = std::min(kFloatSlice, d - begin);
    linalg::syrk(Triangle::lower, Op::none, n, width, 1.0f, a + begin, lda, 0.0f, part.data(), n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j <= i; ++j) g[i * n + j] += part[i * n + j];
  }
  linalg::symmetrize(Triangle::lower, n, g.data(), n);
  return g;
}

}  // namespace csc::pca

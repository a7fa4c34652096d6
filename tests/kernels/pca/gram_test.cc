// samples_gram (AAᵀ, float and double) and column_scatter against naive double-precision loops.
#include <doctest/doctest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "kernels/pca/column_scatter.h"
#include "kernels/pca/gram.h"
#include "tests/kernels/pca/synthetic.h"
#include "tests/support/simd_targets.h"

namespace {

// The Gram matrix and, per entry, sum |a||b| (what bounds the rounding error of a dot product).
struct Naive {
  std::vector<double> g, magnitude;
};

Naive naive(const std::vector<double>& a, std::size_t n, std::size_t d, std::size_t lda, bool of_samples) {
  const std::size_t m = of_samples ? n : d;  // AAᵀ, or AᵀA for the scatter check
  Naive out{std::vector<double>(m * m), std::vector<double>(m * m)};
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j) {
      double sum = 0, magnitude = 0;
      const std::size_t inner = of_samples ? d : n;
      for (std::size_t t = 0; t < inner; ++t) {
        const double x = of_samples ? a[i * lda + t] : a[t * lda + i];
        const double y = of_samples ? a[j * lda + t] : a[t * lda + j];
        sum += x * y;
        magnitude += std::abs(x * y);
      }
      out.g[i * m + j] = sum;
      out.magnitude[i * m + j] = magnitude;
    }
  return out;
}

template <class T>
void check_samples_gram(std::size_t n, std::size_t d, std::size_t pad) {
  const bool of_samples = true;
  const std::size_t lda = d + pad;
  csc::pca::test::SplitMix64 rng(n * 1000 + d);
  std::vector<double> a(n * lda);
  for (double& v : a) v = rng.normal();
  std::vector<T> typed(a.begin(), a.end());
  std::vector<double> rounded(typed.begin(), typed.end());  // what the kernel really sees
  const auto expected = naive(rounded, n, d, lda, of_samples);
  const auto got = csc::pca::samples_gram(typed.data(), n, d, lda);
  const std::size_t m = of_samples ? n : d;
  REQUIRE(got.size() == m * m);
  const std::size_t inner = of_samples ? d : n;
  // The classic bound for a dot product of length `inner`: |error| <= inner * u * sum |a||b|; float
  // slices are at most 8192 long and summed in double. The double reference rounds too (same bound).
  const double u = sizeof(T) == 4 ? 0x1p-24 : 0x1p-53;
  const double length = static_cast<double>(std::min<std::size_t>(inner, 8192));
  for (std::size_t i = 0; i < m * m; ++i)
    CHECK(std::abs(got[i] - expected.g[i]) <= (length * u + static_cast<double>(inner) * 0x1p-53) * expected.magnitude[i]);
}

}  // namespace

TEST_CASE("samples_gram matches a naive loop for awkward shapes on every SIMD target") {
  csc::test::for_each_simd_target([] {
    for (std::size_t n : {1u, 2u, 7u, 65u, 300u})
      for (std::size_t d : {1u, 3u, 31u, 64u}) {
        CAPTURE(n);
        CAPTURE(d);
        check_samples_gram<double>(n, d, 0);
        check_samples_gram<float>(n, d, 3);
      }
  });
}

TEST_CASE("samples_gram of float data sums slices in double (more columns than one slice)") {
  check_samples_gram<float>(4, 17000, 1);
}

namespace {

// column_scatter against two-pass double sums: mean, min, max and sum (x - mean)(x - mean)ᵀ.
template <class T>
void check_scatter(std::size_t n, std::size_t d, std::size_t pad, double offset) {
  const std::size_t ld = d + pad;
  csc::pca::test::SplitMix64 rng(n * 7 + d);
  std::vector<T> x(n * ld);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < ld; ++j) x[i * ld + j] = static_cast<T>(offset * (j + 1) + (j + 1) * rng.normal());
  std::vector<double> mean(d, 0.0), lo(d, INFINITY), hi(d, -INFINITY);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) {
      const double v = x[i * ld + j];
      mean[j] += v;
      lo[j] = std::min(lo[j], v);
      hi[j] = std::max(hi[j], v);
    }
  for (double& m : mean) m /= static_cast<double>(n);
  std::vector<double> centred(n * d);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) centred[i * d + j] = x[i * ld + j] - mean[j];
  const Naive expected = naive(centred, n, d, d, false);
  const auto got = csc::pca::column_scatter(x.data(), n, d, ld);
  REQUIRE(got.rows == n);
  CHECK(got.nonfinite_columns.empty());
  const double u = sizeof(T) == 4 ? 0x1p-24 : 0x1p-53;
  for (std::size_t j = 0; j < d; ++j) {
    CHECK(got.min[j] == lo[j]);
    CHECK(got.max[j] == hi[j]);
    CHECK(got.mean[j] == doctest::Approx(mean[j]).epsilon(1e-12));
  }
  // Sums of squares about a shift near the mean: the float error is that of float dot products of
  // length <= 8192 on values of the data's spread, plus the shift's rounding.
  const double length = static_cast<double>(std::min<std::size_t>(n, 8192));
  for (std::size_t i = 0; i < d * d; ++i)
    CHECK(std::abs(got.scatter[i] - expected.g[i]) <= 8 * length * u * (expected.magnitude[i] + 1e-300) + 1e-9 * expected.magnitude[i]);
}

}  // namespace

TEST_CASE("column_scatter matches two-pass sums for awkward shapes, offsets and thread counts") {
  csc::test::for_each_simd_target([] {
    for (std::size_t n : {1u, 2u, 7u, 300u, 5000u})
      for (std::size_t d : {1u, 3u, 31u}) {
        CAPTURE(n);
        CAPTURE(d);
        check_scatter<double>(n, d, 0, 0.0);
        check_scatter<float>(n, d, 2, 3.0);
      }
  });
  // Far from zero: sums about the shift keep the spread's accuracy (sum x^2 - n mean^2 would not).
  check_scatter<double>(20000, 4, 0, 1e6);
  check_scatter<float>(20000, 4, 1, 1e3);
}

// Units of rows are taken by whichever thread is free and added in unit order: the sums are the same
// bits on one thread as on two, on a tall float matrix (many units) and a wide one (few, large slots).
TEST_CASE("column_scatter gives the same bits on any number of threads") {
  for (const auto& [n, d] : {std::pair<std::size_t, std::size_t>{100000, 24}, {3000, 300}}) {
    CAPTURE(n);
    CAPTURE(d);
    csc::pca::test::SplitMix64 rng(n + d);
    std::vector<float> x(n * d);
    for (float& v : x) v = static_cast<float>(5 + rng.normal());
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    const auto one = csc::pca::column_scatter(x.data(), n, d, d);
    omp_set_num_threads(2);
    const auto two = csc::pca::column_scatter(x.data(), n, d, d);
    omp_set_num_threads(threads);
    CHECK(one.scatter == two.scatter);
    CHECK(one.mean == two.mean);
    CHECK(one.min == two.min);
    CHECK(one.max == two.max);
  }
}

TEST_CASE("column_scatter reports non-finite columns") {
  std::vector<double> x{1.0, 2.0, NAN, 4.0, 5.0, 6.0};
  const auto got = csc::pca::column_scatter(x.data(), 3, 2, 2);
  REQUIRE(got.nonfinite_columns.size() == 1);
  CHECK(got.nonfinite_columns[0] == 0);
}

// The randomized solvers' normal draws: moments of a large sample against the standard normal's
// (within five standard errors), and fill_gaussian's independence from the thread count.
#include <doctest/doctest.h>
#include <omp.h>

#include <cmath>
#include <cstddef>
#include <vector>

#include "kernels/linalg/gaussian_stream.h"

namespace {

struct Moments {
  double mean = 0, variance = 0, skew = 0, kurtosis = 0, below_minus_one = 0;
};

template <class T>
Moments moments(const std::vector<T>& x) {
  Moments m;
  const double n = static_cast<double>(x.size());
  for (T v : x) m.mean += static_cast<double>(v);
  m.mean /= n;
  for (T v : x) {
    const double d = static_cast<double>(v) - m.mean;
    m.variance += d * d;
    m.skew += d * d * d;
    m.kurtosis += d * d * d * d;
    m.below_minus_one += static_cast<double>(v) < -1.0;
  }
  m.variance /= n;
  m.skew /= n * std::pow(m.variance, 1.5);
  m.kurtosis /= n * m.variance * m.variance;
  m.below_minus_one /= n;
  return m;
}

// Standard errors for n normal draws: mean 1/sqrt(n), variance sqrt(2/n), skewness sqrt(6/n),
// kurtosis sqrt(24/n); P(Z < -1) = 0.158655 with standard error sqrt(p(1 - p)/n).
template <class T>
void check_standard_normal(const std::vector<T>& x) {
  const double n = static_cast<double>(x.size());
  const Moments m = moments(x);
  CHECK(std::abs(m.mean) < 5 / std::sqrt(n));
  CHECK(std::abs(m.variance - 1) < 5 * std::sqrt(2 / n));
  CHECK(std::abs(m.skew) < 5 * std::sqrt(6 / n));
  CHECK(std::abs(m.kurtosis - 3) < 5 * std::sqrt(24 / n));
  const double p = 0.15865525393145707;
  CHECK(std::abs(m.below_minus_one - p) < 5 * std::sqrt(p * (1 - p) / n));
}

}  // namespace

TEST_CASE("GaussianStream draws standard normal values, the same for the same seed") {
  csc::linalg::GaussianStream a(7), b(7), c(8);
  std::vector<double> x(200000);
  bool same_seed_same = true, other_seed_differs = false;
  for (double& v : x) {
    v = a.next();
    same_seed_same = same_seed_same && b.next() == v;
    other_seed_differs = other_seed_differs || c.next() != v;
  }
  CHECK(same_seed_same);
  CHECK(other_seed_differs);
  check_standard_normal(x);
}

TEST_CASE_TEMPLATE("fill_gaussian gives the same values on any number of threads", T, float, double) {
  // Not a whole number of blocks, and enough of them for the parallel branch.
  const std::size_t count = 20 * csc::linalg::kGaussianBlock + 123;
  std::vector<T> one(count), two(count), other_seed(count);
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  csc::linalg::fill_gaussian(one.data(), count, 42);
  omp_set_num_threads(2);
  csc::linalg::fill_gaussian(two.data(), count, 42);
  omp_set_num_threads(threads);
  csc::linalg::fill_gaussian(other_seed.data(), count, 43);
  CHECK(one == two);
  CHECK(one != other_seed);
  check_standard_normal(one);
  // Blocks are not copies of each other: the first values of neighbouring blocks differ.
  CHECK(one[0] != one[csc::linalg::kGaussianBlock]);
  CHECK(one[csc::linalg::kGaussianBlock] != one[2 * csc::linalg::kGaussianBlock]);
  // A short fill is the first block's beginning.
  std::vector<T> prefix(100);
  csc::linalg::fill_gaussian(prefix.data(), prefix.size(), 42);
  CHECK(std::vector<T>(one.begin(), one.begin() + 100) == prefix);
}

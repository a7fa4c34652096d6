// centre_rows, squared_residuals and uncentre_rows against plain loops, on every SIMD target, for
// widths around the vector lengths (tails) and rows with padding (ld > d).
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/pca/row_ops.h"
#include "tests/support/simd_targets.h"

namespace {

template <class T>
void check_row_ops(std::size_t rows, std::size_t d, std::mt19937& rng) {
  CAPTURE(rows);
  CAPTURE(d);
  std::uniform_real_distribution<double> uniform(-3, 3);
  const std::size_t ld = d + 3;  // padding that must stay untouched
  std::vector<T> x(rows * ld), fit(rows * ld), shift(d), factor(d), scale(d);
  for (T& v : x) v = static_cast<T>(uniform(rng) * 100);
  for (T& v : fit) v = static_cast<T>(uniform(rng) * 100);
  for (std::size_t j = 0; j < d; ++j) {
    shift[j] = static_cast<T>(uniform(rng) * 50);
    factor[j] = static_cast<T>(1 + std::abs(uniform(rng)));
    scale[j] = static_cast<T>(uniform(rng));
  }

  std::vector<T> centred = x;
  csc::pca::centre_rows(centred.data(), rows, d, ld, shift.data(), factor.data());
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < ld; ++j) {
      const T expected = j < d ? (x[i * ld + j] - shift[j]) * factor[j] : x[i * ld + j];
      wrong += centred[i * ld + j] != expected;  // one subtraction and one product: exact agreement
    }
  CHECK(wrong == 0);

  std::vector<double> errors(rows, -1.0);
  csc::pca::squared_residuals(x.data(), ld, fit.data(), ld, rows, d, errors.data());
  for (std::size_t i = 0; i < rows; ++i) {
    long double sum = 0;
    for (std::size_t j = 0; j < d; ++j) {
      const long double r = static_cast<long double>(x[i * ld + j]) - fit[i * ld + j];
      sum += r * r;
    }
    // Differences of floats are exact in double; only the sum's order differs from the loop.
    CHECK(errors[i] == doctest::Approx(static_cast<double>(sum)).epsilon(1e-14));
  }

  std::vector<T> out(rows * ld, T(7));
  csc::pca::uncentre_rows(fit.data(), ld, rows, d, scale.data(), shift.data(), out.data(), ld);
  wrong = 0;
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < ld; ++j) {
      const T expected = j < d ? std::fma(fit[i * ld + j], scale[j], shift[j]) : T(7);
      const T unfused = j < d ? fit[i * ld + j] * scale[j] + shift[j] : T(7);
      // A target without FMA multiplies and adds: either rounding is right.
      wrong += out[i * ld + j] != expected && out[i * ld + j] != unfused;
    }
  CHECK(wrong == 0);
}

}  // namespace

TEST_CASE_TEMPLATE("row ops: centring, squared residuals and uncentring match plain loops", T, float, double) {
  csc::test::for_each_simd_target([] {
    std::mt19937 rng(5);
    for (std::size_t d : {1, 3, 7, 8, 15, 16, 17, 31, 33, 100})
      for (std::size_t rows : {1, 4}) check_row_ops<T>(rows, d, rng);
  });
}

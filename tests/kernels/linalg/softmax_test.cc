// Row-wise softmax / log-sum-exp and the online softmax state against long-double references, on every
// SIMD target: ragged rows, -inf entries, all -inf rows, NaN, +inf and huge values.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/linalg/softmax.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::linalg::SoftmaxState;
using csc::test::for_each_simd_target;

const std::size_t kLengths[] = {0, 1, 2, 3, 7, 31, 64, 65, 127, 1000};

template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 1e-5 : 1e-12;
}

// Softmax and log-sum-exp of one finite-max row in long double.
template <class T>
void reference_row(const T* x, std::size_t n, std::vector<long double>& softmax, long double& lse) {
  long double max = -INFINITY;
  for (std::size_t j = 0; j < n; ++j) max = std::max<long double>(max, x[j]);
  long double sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += std::exp(static_cast<long double>(x[j]) - max);
  softmax.resize(n);
  for (std::size_t j = 0; j < n; ++j) softmax[j] = std::exp(static_cast<long double>(x[j]) - max) / sum;
  lse = n == 0 ? -INFINITY : max + std::log(sum);
}

template <class T>
std::vector<T> random_rows(std::size_t rows, std::size_t ld, std::uint64_t seed, double spread) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-spread, spread);
  std::vector<T> x(rows * ld);
  for (auto& v : x) v = static_cast<T>(u(rng));
  return x;
}

// Runs softmax_rows and logsumexp_rows on `rows` rows of `cols` values and checks every finite-max row.
template <class T>
void check_rows(const std::vector<T>& x, std::size_t rows, std::size_t cols, std::size_t ldx) {
  const T sentinel = T(-7.25);
  const std::size_t ldy = cols + 2;
  std::vector<T> y(rows * ldy, sentinel), lse(rows, sentinel);
  csc::linalg::softmax_rows(rows, cols, x.data(), ldx, y.data(), ldy);
  csc::linalg::logsumexp_rows(rows, cols, x.data(), ldx, lse.data());
  std::vector<long double> ref;
  long double ref_lse = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    CAPTURE(i);
    reference_row(x.data() + i * ldx, cols, ref, ref_lse);
    for (std::size_t j = 0; j < cols; ++j) {
      const double r = static_cast<double>(ref[j]);
      REQUIRE(std::fabs(y[i * ldy + j] - r) <= tolerance<T>() * r + 1e-37);
    }
    for (std::size_t j = cols; j < ldy; ++j) REQUIRE(y[i * ldy + j] == sentinel);  // padding untouched
    if (cols == 0) {
      CHECK(lse[i] == -std::numeric_limits<T>::infinity());
    } else {
      CHECK(std::fabs(lse[i] - static_cast<double>(ref_lse)) <=
            tolerance<T>() * std::max(1.0, std::fabs(static_cast<double>(ref_lse))));
    }
  }
}

}  // namespace

TEST_CASE_TEMPLATE("softmax and logsumexp match long double for ragged rows", T, float, double) {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  for_each_simd_target([&] {
    for (std::size_t cols : kLengths) {
      CAPTURE(cols);
      const std::size_t rows = 3, ldx = cols + 1;
      auto x = random_rows<T>(rows, ldx, 40 + cols, 20.0);
      for (std::size_t i = 0; i < rows; ++i) x[i * ldx + cols] = nan;  // padding must not be read
      check_rows(x, rows, cols, ldx);
    }
  });
}

TEST_CASE_TEMPLATE("softmax handles -inf entries and huge values", T, float, double) {
  const T inf = std::numeric_limits<T>::infinity();
  const T huge = std::is_same_v<T, float> ? T(1e30) : T(1e300);
  for_each_simd_target([&] {
    for (std::size_t cols : kLengths) {
      if (cols < 2) continue;
      CAPTURE(cols);
      // Row 0: random with every third entry -inf. Row 1: huge positive values. Row 2: huge negative.
      const std::size_t rows = 3;
      auto x = random_rows<T>(rows, cols, 50 + cols, 5.0);
      for (std::size_t j = 0; j < cols; j += 3) x[j] = -inf;
      for (std::size_t j = 0; j < cols; ++j) {
        x[cols + j] = huge * T(1 + (j % 3));
        x[2 * cols + j] = -huge * T(1 + (j % 3));
      }
      x[1] = T(0.5);  // row 0 keeps a finite maximum
      check_rows(x, rows, cols, cols);
      std::vector<T> y(rows * cols);
      csc::linalg::softmax_rows(rows, cols, x.data(), cols, y.data(), cols);
      for (std::size_t j = 0; j < cols; j += 3) CHECK(y[j] == T(0));
      double huge_sum = 0;
      for (std::size_t j = 0; j < cols; ++j) huge_sum += y[cols + j];
      CHECK(huge_sum == doctest::Approx(1.0).epsilon(tolerance<T>()));
    }
  });
}

TEST_CASE_TEMPLATE("softmax special rows follow PyTorch: all -inf, NaN and +inf give NaN", T, float, double) {
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  for_each_simd_target([&] {
    for (std::size_t cols : kLengths) {
      if (cols == 0) continue;
      CAPTURE(cols);
      // Row 0 all -inf, row 1 a NaN, row 2 a +inf (with a -inf too when there is room).
      std::vector<T> x = random_rows<T>(3, cols, 60 + cols, 3.0);
      for (std::size_t j = 0; j < cols; ++j) x[j] = -inf;
      x[cols + cols / 2] = nan;
      x[2 * cols + cols - 1] = inf;
      if (cols > 1) x[2 * cols] = -inf;
      std::vector<T> y(3 * cols), lse(3);
      csc::linalg::softmax_rows(3, cols, x.data(), cols, y.data(), cols);
      csc::linalg::logsumexp_rows(3, cols, x.data(), cols, lse.data());
      for (T v : y) REQUIRE(std::isnan(v));
      CHECK(lse[0] == -inf);
      CHECK(std::isnan(lse[1]));
      CHECK(lse[2] == inf);
    }
  });
}

TEST_CASE_TEMPLATE("softmax works in place and on exact small cases", T, float, double) {
  for_each_simd_target([&] {
    std::vector<T> x = {T(0), T(std::log(3.0)), -std::numeric_limits<T>::infinity()};
    csc::linalg::softmax_rows(1, 3, x.data(), 3, x.data(), 3);
    CHECK(x[0] == doctest::Approx(0.25).epsilon(tolerance<T>()));
    CHECK(x[1] == doctest::Approx(0.75).epsilon(tolerance<T>()));
    CHECK(x[2] == T(0));
    const std::vector<T> pair = {T(-1e4), T(-1e4)};
    T lse = 0;
    csc::linalg::logsumexp_rows(1, 2, pair.data(), 2, &lse);
    CHECK(lse == doctest::Approx(-1e4 + std::log(2.0)).epsilon(tolerance<T>()));
  });
}

TEST_CASE_TEMPLATE("online softmax state: pushes and merges in blocks agree with one pass", T, float, double) {
  const T inf = std::numeric_limits<T>::infinity();
  for_each_simd_target([&] {
    for (std::size_t n : kLengths) {
      CAPTURE(n);
      auto x = random_rows<T>(1, n, 70 + n, 30.0);
      if (n > 4) x[3] = -inf;
      const SoftmaxState<T> whole = csc::linalg::softmax_state(n, x.data());
      // Fold scalar pushes over uneven blocks, merging block states as attention would.
      SoftmaxState<T> folded;
      for (std::size_t begin = 0; begin < n; begin += 5) {
        SoftmaxState<T> block;
        for (std::size_t j = begin; j < std::min(n, begin + 5); ++j) block = csc::linalg::softmax_push(block, x[j]);
        folded = csc::linalg::softmax_merge(folded, block);
      }
      std::vector<long double> ref;
      long double ref_lse = 0;
      reference_row(x.data(), n, ref, ref_lse);
      const double bound = tolerance<T>() * std::max(1.0, std::fabs(static_cast<double>(ref_lse)));
      if (n == 0) {
        CHECK(csc::linalg::softmax_logsumexp(whole) == -inf);
        CHECK(csc::linalg::softmax_logsumexp(folded) == -inf);
      } else {
        CHECK(std::fabs(csc::linalg::softmax_logsumexp(whole) - static_cast<double>(ref_lse)) <= bound);
        CHECK(std::fabs(csc::linalg::softmax_logsumexp(folded) - static_cast<double>(ref_lse)) <= bound);
        CHECK(whole.max == folded.max);
      }
    }
  });
  // The state rules on their own: +inf, all -inf, NaN.
  SoftmaxState<T> s;
  s = csc::linalg::softmax_push(s, -inf);
  CHECK(csc::linalg::softmax_logsumexp(s) == -inf);
  s = csc::linalg::softmax_push(s, T(1));
  s = csc::linalg::softmax_push(s, inf);
  s = csc::linalg::softmax_push(s, inf);
  CHECK(s.sum == T(2));
  CHECK(csc::linalg::softmax_logsumexp(s) == inf);
  s = csc::linalg::softmax_push(s, std::numeric_limits<T>::quiet_NaN());
  CHECK(std::isnan(csc::linalg::softmax_logsumexp(s)));
}

TEST_CASE("softmax rejects bad leading dimensions and null pointers") {
  std::vector<float> x(6, 1.0f), y(6);
  CHECK_THROWS_AS(csc::linalg::softmax_rows(2, 3, x.data(), 2, y.data(), 3), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::softmax_rows(2, 3, x.data(), 3, y.data(), 2), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::softmax_rows(2, 3, x.data(), 3, static_cast<float*>(nullptr), 3), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::logsumexp_rows(2, 3, x.data(), 3, static_cast<float*>(nullptr)), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::softmax_state(3, static_cast<const double*>(nullptr)), std::invalid_argument);
  csc::linalg::softmax_rows(0, 3, static_cast<const float*>(nullptr), 3, static_cast<float*>(nullptr), 3);
}

// Vectorised exp/log/tanh/sigmoid/relu against std:: in long double, on every SIMD target, including
// overflow, underflow, subnormals, signed zeros, infinities and NaN.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/linalg/elementwise.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::linalg::UnaryFn;
using csc::test::for_each_simd_target;

const std::size_t kLengths[] = {0, 1, 2, 3, 7, 31, 64, 65, 127, 1000};

long double reference(UnaryFn fn, long double x) {
  switch (fn) {
    case UnaryFn::exp:
      return std::exp(x);
    case UnaryFn::log:
      return std::log(x);
    case UnaryFn::tanh:
      return std::tanh(x);
    case UnaryFn::sigmoid:
      return 1.0L / (1.0L + std::exp(-x));
    case UnaryFn::relu:
      return x < 0 ? 0.0L : x;
  }
  return NAN;
}

const char* name(UnaryFn fn) {
  switch (fn) {
    case UnaryFn::exp:
      return "exp";
    case UnaryFn::log:
      return "log";
    case UnaryFn::tanh:
      return "tanh";
    case UnaryFn::sigmoid:
      return "sigmoid";
    case UnaryFn::relu:
      return "relu";
  }
  return "?";
}

// Inputs spanning each function's interesting range, with special values sprinkled in.
template <class T>
std::vector<T> inputs(UnaryFn fn, std::size_t n, std::uint64_t seed) {
  using L = std::numeric_limits<T>;
  const bool f32 = std::is_same_v<T, float>;
  std::mt19937_64 rng(seed);
  std::vector<T> x(n);
  for (auto& v : x) {
    switch (fn) {
      case UnaryFn::exp:  // past both overflow (88.7 / 709.8) and underflow to subnormals and 0
        v = static_cast<T>(std::uniform_real_distribution<double>(f32 ? -110 : -760, f32 ? 95 : 715)(rng));
        break;
      case UnaryFn::log:  // log-uniform over the whole positive range, subnormals included
        v = static_cast<T>(std::exp2(std::uniform_real_distribution<double>(f32 ? -149 : -1074, f32 ? 127 : 1023)(rng)));
        break;
      case UnaryFn::tanh:
      case UnaryFn::sigmoid:
      case UnaryFn::relu:
        v = static_cast<T>(std::uniform_real_distribution<double>(-30, 30)(rng));
        break;
    }
  }
  const T special[] = {T(0), -T(0), L::infinity(), -L::infinity(), L::quiet_NaN(), L::denorm_min(),
                       T(1), T(-1), T(1e-7), L::max(), -L::max(), T(0.5)};
  for (std::size_t i = 0; i < n; i += 5) x[i] = special[(i / 5) % std::size(special)];
  return x;
}

template <class T>
void check_close(UnaryFn fn, T x, T y) {
  CAPTURE(name(fn));
  CAPTURE(x);
  CAPTURE(y);
  const long double ref = reference(fn, x);
  if (std::isnan(ref)) {
    REQUIRE(std::isnan(y));
    return;
  }
  if (std::isinf(ref) || std::fabs(ref) > std::numeric_limits<T>::max()) {
    REQUIRE(y == static_cast<T>(ref));
    return;
  }
  // A few ULP relative, and a little absolute slack where the result is subnormal.
  const long double ulp = std::numeric_limits<T>::epsilon();
  REQUIRE(std::fabs(y - ref) <= 8 * ulp * std::fabs(ref) + std::numeric_limits<T>::min());
  if (fn == UnaryFn::relu) REQUIRE(y == static_cast<T>(ref));
}

}  // namespace

TEST_CASE_TEMPLATE("elementwise functions match std:: within a few ULP", T, float, double) {
  for_each_simd_target([&] {
    for (UnaryFn fn : {UnaryFn::exp, UnaryFn::log, UnaryFn::tanh, UnaryFn::sigmoid, UnaryFn::relu})
      for (std::size_t n : kLengths) {
        CAPTURE(n);
        const std::vector<T> x = inputs<T>(fn, n, 100 * n + static_cast<int>(fn));
        std::vector<T> y(n + 1, T(-3));
        csc::linalg::elementwise(fn, n, x.data(), y.data());
        for (std::size_t i = 0; i < n; ++i) check_close(fn, x[i], y[i]);
        REQUIRE(y[n] == T(-3));  // nothing written past the end
        // In place gives the same bits.
        std::vector<T> z = x;
        csc::linalg::elementwise(fn, n, z.data());
        for (std::size_t i = 0; i < n; ++i) REQUIRE((z[i] == y[i] || (std::isnan(z[i]) && std::isnan(y[i]))));
      }
  });
}

TEST_CASE_TEMPLATE("elementwise edge cases are exact", T, float, double) {
  using L = std::numeric_limits<T>;
  for_each_simd_target([&] {
    const std::vector<T> x = {T(0), -T(0), L::infinity(), -L::infinity(), T(-1), L::quiet_NaN(), T(1000)};
    std::vector<T> y(x.size());
    csc::linalg::elementwise(UnaryFn::log, x.size(), x.data(), y.data());
    CHECK(y[0] == -L::infinity());
    CHECK(y[1] == -L::infinity());
    CHECK(y[2] == L::infinity());
    CHECK(std::isnan(y[3]));
    CHECK(std::isnan(y[4]));
    CHECK(std::isnan(y[5]));
    csc::linalg::elementwise(UnaryFn::exp, x.size(), x.data(), y.data());
    CHECK(y[0] == T(1));
    CHECK(y[2] == L::infinity());
    CHECK(y[3] == T(0));
    CHECK(std::isnan(y[5]));
    CHECK(y[6] == L::infinity());
    csc::linalg::elementwise(UnaryFn::tanh, x.size(), x.data(), y.data());
    CHECK(y[2] == T(1));
    CHECK(y[3] == T(-1));
    CHECK(std::signbit(y[1]));
    CHECK(std::isnan(y[5]));
    csc::linalg::elementwise(UnaryFn::sigmoid, x.size(), x.data(), y.data());
    CHECK(y[0] == T(0.5));
    CHECK(y[2] == T(1));
    CHECK(y[3] == T(0));
    CHECK(std::isnan(y[5]));
    csc::linalg::elementwise(UnaryFn::relu, x.size(), x.data(), y.data());
    CHECK(y[3] == T(0));
    CHECK(y[4] == T(0));
    CHECK(std::isnan(y[5]));
    CHECK(y[6] == T(1000));
  });
}

TEST_CASE("elementwise splits large arrays across threads without changing results") {
  const std::size_t n = 100003;
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = -50.0 + 100.0 * static_cast<double>(i) / n;
  std::vector<double> y(n);
  csc::linalg::elementwise(UnaryFn::tanh, n, x.data(), y.data());
  for (std::size_t i = 0; i < n; i += 997) check_close(UnaryFn::tanh, x[i], y[i]);
}

TEST_CASE("elementwise rejects null and partially overlapping arrays") {
  std::vector<float> x(8, 1.0f);
  CHECK_THROWS_AS(csc::linalg::elementwise(UnaryFn::exp, 4, x.data(), x.data() + 2), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::elementwise(UnaryFn::exp, 4, static_cast<const float*>(nullptr), x.data()),
                  std::invalid_argument);
  csc::linalg::elementwise(UnaryFn::exp, 0, static_cast<const float*>(nullptr), static_cast<float*>(nullptr));
  csc::linalg::elementwise(UnaryFn::exp, 4, x.data() + 4, x.data());  // disjoint halves are fine
  CHECK(x[0] == doctest::Approx(std::exp(1.0)));
}

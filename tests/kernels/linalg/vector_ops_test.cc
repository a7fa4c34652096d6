// dot, axpy, scal, nrm2, asum and gemv against plain long-double loops, on every SIMD target.
#include <doctest/doctest.h>
#include <omp.h>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/linalg/vector_ops.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::linalg::Op;
using csc::test::for_each_simd_target;

// Ragged tails around every vector width, plus lengths that span several blocks and threads.
const std::size_t kLengths[] = {0, 1, 2, 3, 7, 31, 64, 65, 127, 1000, 70001};

// float32 errors are bounded relative to the sum of magnitudes; float64 to 1e-12 of it.
template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 2e-5 : 1e-12;
}

template <class T>
std::vector<T> random_vector(std::size_t n, std::uint64_t seed, double lo = -1.0, double hi = 1.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<T> v(n);
  for (auto& x : v) x = static_cast<T>(u(rng));
  return v;
}

}  // namespace

TEST_CASE_TEMPLATE("dot matches a long-double loop", T, float, double) {
  for_each_simd_target([&] {
    for (std::size_t n : kLengths) {
      CAPTURE(n);
      const auto x = random_vector<T>(n, 1 + n), y = random_vector<T>(n, 2 + n);
      long double ref = 0, mag = 0;
      for (std::size_t i = 0; i < n; ++i) {
        ref += static_cast<long double>(x[i]) * y[i];
        mag += std::fabs(static_cast<long double>(x[i]) * y[i]);
      }
      CHECK(std::fabs(csc::linalg::dot(n, x.data(), y.data()) - static_cast<double>(ref)) <=
            tolerance<T>() * static_cast<double>(mag) + 1e-300);
    }
  });
}

TEST_CASE_TEMPLATE("dot, nrm2 and asum do not depend on the thread count", T, float, double) {
  const std::size_t n = 300007;
  const auto x = random_vector<T>(n, 3), y = random_vector<T>(n, 4);
  const int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  const T dot1 = csc::linalg::dot(n, x.data(), y.data()), nrm1 = csc::linalg::nrm2(n, x.data()),
          asum1 = csc::linalg::asum(n, x.data());
  omp_set_num_threads(3);
  const T dot3 = csc::linalg::dot(n, x.data(), y.data()), nrm3 = csc::linalg::nrm2(n, x.data()),
          asum3 = csc::linalg::asum(n, x.data());
  omp_set_num_threads(saved);
  CHECK(dot1 == dot3);
  CHECK(nrm1 == nrm3);
  CHECK(asum1 == asum3);
}

TEST_CASE_TEMPLATE("axpy and scal match scalar loops", T, float, double) {
  const double eps = std::numeric_limits<T>::epsilon();
  for_each_simd_target([&] {
    for (std::size_t n : kLengths) {
      CAPTURE(n);
      const auto x = random_vector<T>(n, 5 + n);
      const auto y0 = random_vector<T>(n, 6 + n);
      auto y = y0;
      const T a = T(-1.75);
      csc::linalg::axpy(n, a, x.data(), y.data());
      for (std::size_t i = 0; i < n; ++i) {
        const double ref = static_cast<double>(y0[i]) + static_cast<double>(a) * x[i];
        REQUIRE(std::fabs(y[i] - ref) <= 2 * eps * (std::fabs(y0[i]) + std::fabs(a * x[i])));
      }
      csc::linalg::scal(n, T(0.5), y.data());  // a power of two: exact
      auto z = y0;
      csc::linalg::axpy(n, a, x.data(), z.data());
      for (std::size_t i = 0; i < n; ++i) REQUIRE(y[i] == z[i] * T(0.5));
    }
  });
}

TEST_CASE_TEMPLATE("nrm2 and asum match long-double loops", T, float, double) {
  for_each_simd_target([&] {
    for (std::size_t n : kLengths) {
      CAPTURE(n);
      const auto x = random_vector<T>(n, 7 + n);
      long double squares = 0, abs_sum = 0;
      for (T v : x) {
        squares += static_cast<long double>(v) * v;
        abs_sum += std::fabs(static_cast<long double>(v));
      }
      CHECK(std::fabs(csc::linalg::nrm2(n, x.data()) - std::sqrt(static_cast<double>(squares))) <=
            tolerance<T>() * std::sqrt(static_cast<double>(squares)));
      CHECK(std::fabs(csc::linalg::asum(n, x.data()) - static_cast<double>(abs_sum)) <=
            tolerance<T>() * static_cast<double>(abs_sum));
    }
  });
}

TEST_CASE_TEMPLATE("nrm2 neither overflows nor underflows and propagates NaN/inf", T, float, double) {
  const T huge = std::is_same_v<T, float> ? T(1e30) : T(1e300);    // huge^2 overflows
  const T tiny = std::is_same_v<T, float> ? T(1e-30) : T(1e-300);  // tiny^2 underflows to 0
  const T denormal = std::numeric_limits<T>::denorm_min();
  const T inf = std::numeric_limits<T>::infinity(), nan = std::numeric_limits<T>::quiet_NaN();
  for_each_simd_target([&] {
    for (std::size_t n : {1, 2, 7, 65, 1000}) {
      CAPTURE(n);
      const double root_n = std::sqrt(static_cast<double>(n));
      std::vector<T> v(n, huge);
      CHECK(csc::linalg::nrm2(n, v.data()) == doctest::Approx(root_n * huge).epsilon(tolerance<T>()));
      v.assign(n, tiny);
      CHECK(csc::linalg::nrm2(n, v.data()) == doctest::Approx(root_n * tiny).epsilon(tolerance<T>()));
      v.assign(n, -denormal);
      CHECK(csc::linalg::nrm2(n, v.data()) == doctest::Approx(root_n * denormal).epsilon(0.5 / root_n + 1e-3));
      v.assign(n, T(0));
      CHECK(csc::linalg::nrm2(n, v.data()) == T(0));
      v[n / 2] = -inf;
      CHECK(csc::linalg::nrm2(n, v.data()) == inf);
      v[n - 1] = nan;
      CHECK(std::isnan(csc::linalg::nrm2(n, v.data())));
      v.assign(n, T(1));
      v[0] = nan;
      CHECK(std::isnan(csc::linalg::nrm2(n, v.data())));
    }
    // One large element among small ones: the scale comes from the largest.
    const T mixed[] = {T(3) * huge, T(4) * huge, tiny};
    CHECK(csc::linalg::nrm2(3, mixed) == doctest::Approx(5.0 * huge).epsilon(tolerance<T>()));
  });
}

namespace {

// y = alpha op(A) x + beta y in long double; also returns per-element magnitude bounds.
template <class T>
void gemv_reference(Op op, std::size_t m, std::size_t n, T alpha, const std::vector<T>& a, std::size_t lda,
                    const std::vector<T>& x, T beta, const std::vector<T>& y, std::vector<double>& ref,
                    std::vector<double>& mag) {
  const std::size_t out = op == Op::none ? m : n, in = op == Op::none ? n : m;
  ref.assign(out, 0);
  mag.assign(out, 0);
  for (std::size_t i = 0; i < out; ++i) {
    long double s = 0, s_mag = 0;
    for (std::size_t j = 0; j < in; ++j) {
      const long double aij = op == Op::none ? a[i * lda + j] : a[j * lda + i];
      s += aij * x[j];
      s_mag += std::fabs(aij * x[j]);
    }
    const long double beta_y = beta == T(0) ? 0.0L : static_cast<long double>(beta) * y[i];
    ref[i] = static_cast<double>(alpha * s + beta_y);
    mag[i] = static_cast<double>(std::fabs(alpha) * s_mag + std::fabs(beta_y));
  }
}

}  // namespace

TEST_CASE_TEMPLATE("gemv matches a long-double loop for both ops, alpha/beta and padded lda", T, float, double) {
  const std::size_t kDims[] = {0, 1, 2, 3, 7, 31, 64, 65, 127, 1000};
  const T nan = std::numeric_limits<T>::quiet_NaN();
  struct Scalars {
    T alpha, beta;
  };
  const Scalars kScalars[] = {{T(1), T(0)}, {T(0.5), T(-1.5)}, {T(-2), T(1)}};
  for_each_simd_target([&] {
    for (Op op : {Op::none, Op::transpose})
      for (std::size_t m : kDims)
        for (std::size_t n : kDims) {
          if (m * n > 200000) continue;
          CAPTURE(m);
          CAPTURE(n);
          CAPTURE(op == Op::none);
          const std::size_t lda = n + 3;
          // Padding past each row is NaN: reading it would poison the result.
          auto a = random_vector<T>(m * lda, 11 + m * 1000 + n);
          for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = n; j < lda; ++j) a[i * lda + j] = nan;
          const std::size_t in = op == Op::none ? n : m, out = op == Op::none ? m : n;
          const auto x = random_vector<T>(in, 12 + m + n);
          for (const Scalars& s : kScalars) {
            auto y = random_vector<T>(out, 13 + m + n);
            if (s.beta == T(0)) y.assign(out, nan);  // beta == 0 must not read y
            std::vector<double> ref, mag;
            gemv_reference(op, m, n, s.alpha, a, lda, x, s.beta, y, ref, mag);
            csc::linalg::gemv(op, m, n, s.alpha, a.data(), lda, x.data(), s.beta, y.data());
            for (std::size_t i = 0; i < out; ++i) REQUIRE(std::fabs(y[i] - ref[i]) <= tolerance<T>() * mag[i] + 1e-300);
          }
        }
  });
}

TEST_CASE_TEMPLATE("gemv with alpha == 0 reads neither A nor x", T, float, double) {
  const T nan = std::numeric_limits<T>::quiet_NaN();
  std::vector<T> a(12, nan), x(4, nan), y = {T(1), T(2), T(3)};
  csc::linalg::gemv(Op::none, 3, 4, T(0), a.data(), 4, x.data(), T(2), y.data());
  CHECK(y == std::vector<T>{T(2), T(4), T(6)});
  csc::linalg::gemv(Op::none, 3, 4, T(0), nullptr, 4, nullptr, T(0), y.data());
  CHECK(y == std::vector<T>{T(0), T(0), T(0)});
}

TEST_CASE_TEMPLATE("vector kernels reject bad shapes and null pointers", T, float, double) {
  std::vector<T> a(12, T(1)), x(4, T(1)), y(3, T(0));
  CHECK_THROWS_AS(csc::linalg::gemv(Op::none, 3, 4, T(1), a.data(), 3, x.data(), T(0), y.data()),
                  std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::gemv(Op::none, 3, 4, T(1), nullptr, 4, x.data(), T(0), y.data()),
                  std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::gemv(Op::transpose, 3, 4, T(1), a.data(), 4, x.data(), T(0), nullptr),
                  std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::dot(3, x.data(), static_cast<const T*>(nullptr)), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::axpy(3, T(1), static_cast<const T*>(nullptr), y.data()), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::nrm2(3, static_cast<const T*>(nullptr)), std::invalid_argument);
  CHECK(csc::linalg::dot(0, static_cast<const T*>(nullptr), static_cast<const T*>(nullptr)) == T(0));
  CHECK(csc::linalg::nrm2(0, static_cast<const T*>(nullptr)) == T(0));
}

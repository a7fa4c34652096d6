// SYRK against a naive triple loop: one triangle of X^T X / X X^T, the other one untouched, both thread
// splits (by k and by bands of rows), views, alpha/beta, on every SIMD target; plus symmetrize.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/linalg/syrk.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::linalg::Op;
using csc::linalg::symmetrize;
using csc::linalg::syrk;
using csc::linalg::Triangle;

constexpr double kSentinel = -777.0;  // fills the other triangle and the padding; must survive

struct Case {
  Triangle tri = Triangle::lower;
  Op op = Op::transpose;
  std::size_t n = 0, k = 0;
  double alpha = 1, beta = 0;
  std::size_t pad_x = 0, pad_c = 0;
  bool nan_in_c = false;
};

bool in_triangle(Triangle tri, std::size_t i, std::size_t j) { return tri == Triangle::lower ? i >= j : j >= i; }

template <class T>
void check_case(const Case& cs, std::mt19937& rng) {
  CAPTURE(cs.tri == Triangle::lower ? "lower" : "upper");
  CAPTURE(cs.op == Op::transpose ? "X^T X" : "X X^T");
  CAPTURE(cs.n);
  CAPTURE(cs.k);
  CAPTURE(cs.alpha);
  CAPTURE(cs.beta);
  std::uniform_real_distribution<double> uniform(-1, 1);
  const bool xtx = cs.op == Op::transpose;
  const std::size_t x_rows = xtx ? cs.k : cs.n, x_cols = xtx ? cs.n : cs.k;
  const std::size_t ldx = x_cols + cs.pad_x, ldc = cs.n + cs.pad_c;
  std::vector<T> x(x_rows * ldx + 1), c(cs.n * ldc + 1);
  for (auto& v : x) v = static_cast<T>(uniform(rng));
  for (std::size_t i = 0; i < cs.n; ++i)
    for (std::size_t j = 0; j < ldc; ++j)
      c[i * ldc + j] = j >= cs.n || !in_triangle(cs.tri, i, j) ? T(kSentinel)
                       : cs.nan_in_c ? std::numeric_limits<T>::quiet_NaN()
                                     : static_cast<T>(uniform(rng));
  const std::vector<T> c0 = c;
  // Element (i, p) of the n x k matrix whose rows are dotted: X^T for X^T X, X for X X^T.
  const auto Y = [&](std::size_t i, std::size_t p) { return xtx ? x[p * ldx + i] : x[i * ldx + p]; };

  syrk(cs.tri, cs.op, cs.n, cs.k, static_cast<T>(cs.alpha), x.data(), ldx, static_cast<T>(cs.beta), c.data(),
       ldc);

  const long double eps = std::numeric_limits<T>::epsilon();
  std::size_t failures = 0;
  for (std::size_t i = 0; i < cs.n; ++i)
    for (std::size_t j = 0; j < ldc; ++j) {
      const T got = c[i * ldc + j];
      if (j >= cs.n || !in_triangle(cs.tri, i, j)) {
        failures += got != T(kSentinel);
        continue;
      }
      long double sum = 0, sum_abs = 0;
      for (std::size_t p = 0; p < cs.k; ++p) {
        const long double prod = static_cast<long double>(Y(i, p)) * Y(j, p);
        sum += prod;
        sum_abs += std::fabs(prod);
      }
      const long double old = cs.beta == 0 ? 0.0L : static_cast<long double>(c0[i * ldc + j]);
      const long double want = static_cast<long double>(cs.alpha) * sum + static_cast<long double>(cs.beta) * old;
      const long double bound = 2 * (cs.k + 4) * eps *
                                    (std::fabs(static_cast<long double>(cs.alpha)) * sum_abs +
                                     std::fabs(static_cast<long double>(cs.beta) * old)) +
                                std::numeric_limits<T>::min();
      if (!std::isfinite(static_cast<double>(got)) || std::fabs(got - want) > bound) {
        if (failures < 5) {
          CAPTURE(i);
          CAPTURE(j);
          CAPTURE(static_cast<double>(got));
          CAPTURE(static_cast<double>(want));
          CHECK_MESSAGE(false, "element outside the error bound");
        }
        ++failures;
      }
    }
  CHECK(failures == 0);
}

template <class T>
void run_on_every_target(const std::vector<Case>& cases) {
  csc::test::for_each_simd_target([&] {
    std::mt19937 rng(11);
    for (const Case& cs : cases) check_case<T>(cs, rng);
  });
}

const std::size_t kShapes[] = {0, 1, 2, 3, 7, 31, 64, 65, 127, 1000};

TEST_CASE_TEMPLATE("syrk writes one triangle of X^T X and X X^T for every size of n and k", T, float, double) {
  std::vector<Case> cases;
  for (Triangle tri : {Triangle::lower, Triangle::upper})
    for (Op op : {Op::transpose, Op::none})
      for (std::size_t s : kShapes) {
        Case cs;
        cs.tri = tri;
        cs.op = op;
        cs.n = s;  // every order with a short k...
        cs.k = 19;
        cases.push_back(cs);
        cs.n = 23;  // ...and every k with a ragged order
        cs.k = s;
        cases.push_back(cs);
      }
  run_on_every_target<T>(cases);
}

TEST_CASE_TEMPLATE("syrk with alpha/beta, views and NaN in C when beta = 0", T, float, double) {
  std::vector<Case> cases;
  std::mt19937 rng(5);
  const double alphas[] = {1, -2, 0.25};
  const double betas[] = {0, 1, -0.5};
  for (int r = 0; r < 24; ++r) {
    Case cs;
    cs.tri = r % 2 ? Triangle::upper : Triangle::lower;
    cs.op = (r / 2) % 2 ? Op::none : Op::transpose;
    cs.n = kShapes[1 + rng() % 8];
    cs.k = kShapes[rng() % 9];
    cs.alpha = alphas[rng() % 3];
    cs.beta = betas[rng() % 3];
    cs.nan_in_c = cs.beta == 0;
    cs.pad_x = rng() % 7;
    cs.pad_c = rng() % 5;
    cases.push_back(cs);
  }
  run_on_every_target<T>(cases);
}

TEST_CASE_TEMPLATE("syrk splits k for long data and bands of rows for large orders", T, float, double) {
  // k >> n takes private per-thread partials summed at the end; n > k takes balanced bands of the
  // triangle. Both with beta != 0 so the final combination is exercised.
  std::vector<Case> cases;
  for (Triangle tri : {Triangle::lower, Triangle::upper})
    for (Op op : {Op::transpose, Op::none}) {
      Case cs;
      cs.tri = tri;
      cs.op = op;
      cs.n = 45;
      cs.k = 6000;
      cs.alpha = 0.5;
      cs.beta = 1.5;
      cs.pad_x = 2;
      cases.push_back(cs);
      cs.n = 330;
      cs.k = 40;
      cs.pad_c = 3;
      cases.push_back(cs);
    }
  run_on_every_target<T>(cases);
}

TEST_CASE("syrk with alpha = 0 or k = 0 only scales its triangle") {
  std::vector<double> x(6, std::numeric_limits<double>::quiet_NaN());
  std::vector<double> c = {1, 2, 3, 4};
  syrk(Triangle::lower, Op::transpose, 2, 3, 0.0, x.data(), 2, 3.0, c.data(), 2);
  CHECK(c == std::vector<double>{3, 2, 9, 12});
  syrk(Triangle::upper, Op::none, 2, 0, 1.0, nullptr, 0, 0.0, c.data(), 2);
  CHECK(c == std::vector<double>{0, 0, 9, 0});
}

TEST_CASE("syrk rejects bad leading dimensions and null matrices") {
  std::vector<float> x(100), c(100);
  CHECK_THROWS_AS(syrk(Triangle::lower, Op::transpose, 5, 4, 1.0f, x.data(), 4, 0.0f, c.data(), 5),
                  std::invalid_argument);
  CHECK_THROWS_AS(syrk(Triangle::lower, Op::none, 5, 4, 1.0f, x.data(), 3, 0.0f, c.data(), 5), std::invalid_argument);
  CHECK_THROWS_AS(syrk(Triangle::upper, Op::none, 5, 4, 1.0f, x.data(), 4, 0.0f, c.data(), 4), std::invalid_argument);
  CHECK_THROWS_AS(syrk(Triangle::upper, Op::none, 5, 4, 1.0f, nullptr, 4, 0.0f, c.data(), 5), std::invalid_argument);
  CHECK_THROWS_AS(syrk(Triangle::upper, Op::none, 5, 4, 1.0f, x.data(), 4, 0.0f, nullptr, 5), std::invalid_argument);
  CHECK_NOTHROW(syrk(Triangle::upper, Op::none, 0, 4, 1.0f, nullptr, 0, 0.0f, nullptr, 0));
}

TEST_CASE_TEMPLATE("symmetrize copies the filled triangle onto the other", T, float, double) {
  for (std::size_t n : {0, 1, 2, 65, 130}) {
    for (Triangle filled : {Triangle::lower, Triangle::upper}) {
      CAPTURE(n);
      const std::size_t ldc = n + 2;
      std::vector<T> c(n * ldc + 1, T(kSentinel));
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          if (in_triangle(filled, i, j)) c[i * ldc + j] = static_cast<T>(i * 1000 + j);
      symmetrize(filled, n, c.data(), ldc);
      std::size_t wrong = 0;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < ldc; ++j) {
          const T want = j >= n ? T(kSentinel)
                                : static_cast<T>(in_triangle(filled, i, j) ? i * 1000 + j : j * 1000 + i);
          wrong += c[i * ldc + j] != want;
        }
      CHECK(wrong == 0);
    }
  }
  std::vector<T> c(4);
  CHECK_THROWS_AS(symmetrize(Triangle::lower, 2, c.data(), 1), std::invalid_argument);
}

}  // namespace

// accumulate_gram_rows: C += YᵀY on the lower triangle, Y read in place from a padded buffer whose
// front margin and padding columns hold NaN (they may hold anything: only scratch entries of C see them).
template <class T>
void check_gram_rows(std::size_t rows, std::size_t dim, std::mt19937& rng) {
  CAPTURE(rows);
  CAPTURE(dim);
  const csc::linalg::GramRowsLayout layout = csc::linalg::gram_rows_layout<T>(dim);
  REQUIRE(layout.ld >= dim);
  REQUIRE(layout.ldc >= dim);
  REQUIRE(layout.c_rows >= dim);
  REQUIRE(layout.ld * sizeof(T) % layout.align == 0);
  std::uniform_real_distribution<double> uniform(-1, 1);
  REQUIRE(layout.y_front * sizeof(T) % layout.align == 0);
  REQUIRE(layout.c_rows >= dim + layout.c_shift);
  // The buffer is over-allocated so that an aligned start can be picked inside it; the front margin
  // holds NaN too.
  std::vector<T> storage(layout.y_front + rows * layout.ld + layout.align / sizeof(T),
                         std::numeric_limits<T>::quiet_NaN());
  T* y = storage.data() + layout.y_front;
  while (reinterpret_cast<std::uintptr_t>(y) % layout.align != 0) ++y;
  for (std::size_t p = 0; p < rows; ++p)
    for (std::size_t j = 0; j < layout.ld; ++j)
      y[p * layout.ld + j] = j < dim ? static_cast<T>(uniform(rng)) : std::numeric_limits<T>::quiet_NaN();
  std::vector<T> c(layout.c_rows * layout.ldc), c0(c.size());
  for (std::size_t i = 0; i < c.size(); ++i) c0[i] = c[i] = static_cast<T>(uniform(rng));
  // Two calls: the second one adds to what the first left; the first prefetches the rows the second
  // reads, as column_scatter does (a hint: the sums must not change).
  const std::size_t half = rows / 2;
  csc::linalg::accumulate_gram_rows(y, half, dim, c.data(),
                                    {y + half * layout.ld, (rows - half) * layout.ld * sizeof(T)});
  csc::linalg::accumulate_gram_rows(y + half * layout.ld, rows - half, dim, c.data());
  const long double eps = std::numeric_limits<T>::epsilon();
  std::size_t failures = 0;
  for (std::size_t i = 0; i < dim; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      const std::size_t at = (i + layout.c_shift) * layout.ldc + j;
      long double sum = c0[at], sum_abs = std::fabs(sum);
      for (std::size_t p = 0; p < rows; ++p) {
        const long double prod = static_cast<long double>(y[p * layout.ld + i]) * y[p * layout.ld + j];
        sum += prod;
        sum_abs += std::fabs(prod);
      }
      const T got = c[at];
      failures += !std::isfinite(static_cast<double>(got)) || std::fabs(got - sum) > 2 * (rows + 4) * eps * sum_abs;
    }
  CHECK(failures == 0);
}

TEST_CASE_TEMPLATE("accumulate_gram_rows adds YᵀY on the lower triangle for every order", T, float, double) {
  csc::test::for_each_simd_target([] {
    std::mt19937 rng(17);
    for (std::size_t dim : {1, 2, 13, 14, 15, 16, 31, 32, 33, 64, 100, 129})
      for (std::size_t rows : {1, 2, 9, 300}) check_gram_rows<T>(rows, dim, rng);
  });
}

TEST_CASE("accumulate_gram_rows rejects misaligned and null buffers") {
  const csc::linalg::GramRowsLayout layout = csc::linalg::gram_rows_layout<float>(20);
  std::vector<float> c(layout.c_rows * layout.ldc);
  std::vector<float> storage(layout.y_front + 4 * layout.ld + 64);
  float* y = storage.data() + layout.y_front;
  while (reinterpret_cast<std::uintptr_t>(y) % layout.align != 0) ++y;
  CHECK_NOTHROW(csc::linalg::accumulate_gram_rows(y, 4, 20, c.data()));
  if (layout.align > sizeof(float)) CHECK_THROWS_AS(csc::linalg::accumulate_gram_rows(y + 1, 3, 20, c.data()), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::accumulate_gram_rows(static_cast<const float*>(nullptr), 4, 20, c.data()), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::accumulate_gram_rows(y, 4, 20, static_cast<float*>(nullptr)), std::invalid_argument);
  CHECK_NOTHROW(csc::linalg::accumulate_gram_rows(static_cast<const float*>(nullptr), 0, 20, static_cast<float*>(nullptr)));
}

// GEMM against a naive triple loop: every shape class, both transposes, alpha/beta, views, epilogues,
// on every SIMD target, with error bounds scaled by sum_k |a_ik| |b_kj|.
#include <doctest/doctest.h>
#include <omp.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/linalg/gemm.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::linalg::Activation;
using csc::linalg::Epilogue;
using csc::linalg::gemm;
using csc::linalg::Op;

const std::size_t kShapes[] = {0, 1, 2, 3, 7, 31, 64, 65, 127, 1000};
constexpr double kSentinel = 12345.0;  // written into the padding of C, which gemm must leave alone

struct Case {
  Op op_a = Op::none, op_b = Op::none;
  std::size_t m = 0, n = 0, k = 0;
  double alpha = 1, beta = 0;
  std::size_t pad_a = 0, pad_b = 0, pad_c = 0;  // leading dimension minus row width
  bool bias = false;
  Activation activation = Activation::identity;
  bool nan_in_c = false;  // with beta == 0, C starts as NaN and must not be read
  double scale = 1;       // inputs are uniform in [-scale, scale]
};

double activate(Activation act, double x) {
  switch (act) {
    case Activation::relu:
      return x < 0 ? 0.0 : x;
    case Activation::tanh:
      return std::tanh(x);
    case Activation::sigmoid:
      return 1.0 / (1.0 + std::exp(-x));
    case Activation::identity:
      break;
  }
  return x;
}

const char* op_name(Op op) { return op == Op::none ? "N" : "T"; }

// Runs one case and compares every element with a long double triple loop. The bound is the standard
// one for a dot product of length k, |err| <= (k + 2) eps sum|a||b| (here doubled), plus the beta term
// and a few ulps of the activation; the activations used are 1-Lipschitz.
template <class T>
void check_case(const Case& cs, std::mt19937& rng) {
  CAPTURE(op_name(cs.op_a));
  CAPTURE(op_name(cs.op_b));
  CAPTURE(cs.m);
  CAPTURE(cs.n);
  CAPTURE(cs.k);
  CAPTURE(cs.alpha);
  CAPTURE(cs.beta);
  CAPTURE(static_cast<int>(cs.activation));
  CAPTURE(cs.bias);
  std::uniform_real_distribution<double> uniform(-cs.scale, cs.scale);
  const bool ta = cs.op_a == Op::transpose, tb = cs.op_b == Op::transpose;
  const std::size_t a_rows = ta ? cs.k : cs.m, a_cols = ta ? cs.m : cs.k;
  const std::size_t b_rows = tb ? cs.n : cs.k, b_cols = tb ? cs.k : cs.n;
  const std::size_t lda = a_cols + cs.pad_a, ldb = b_cols + cs.pad_b, ldc = cs.n + cs.pad_c;
  std::vector<T> a(a_rows * lda + 1), b(b_rows * ldb + 1), c(cs.m * ldc + 1), bias(cs.n + 1);
  for (auto& v : a) v = static_cast<T>(uniform(rng));
  for (auto& v : b) v = static_cast<T>(uniform(rng));
  for (auto& v : bias) v = static_cast<T>(uniform(rng));
  for (std::size_t i = 0; i < cs.m; ++i)
    for (std::size_t j = 0; j < ldc; ++j)
      c[i * ldc + j] = j >= cs.n ? T(kSentinel)
                       : cs.nan_in_c ? std::numeric_limits<T>::quiet_NaN()
                                     : static_cast<T>(uniform(rng));
  const std::vector<T> c0 = c;
  const auto A = [&](std::size_t i, std::size_t p) { return ta ? a[p * lda + i] : a[i * lda + p]; };
  const auto B = [&](std::size_t p, std::size_t j) { return tb ? b[j * ldb + p] : b[p * ldb + j]; };

  const Epilogue<T> epilogue{cs.bias ? bias.data() : nullptr, cs.activation};
  gemm(cs.op_a, cs.op_b, cs.m, cs.n, cs.k, static_cast<T>(cs.alpha), a.data(), lda, b.data(), ldb,
       static_cast<T>(cs.beta), c.data(), ldc, epilogue);

  const long double eps = std::numeric_limits<T>::epsilon();
  std::size_t failures = 0;
  for (std::size_t i = 0; i < cs.m; ++i) {
    for (std::size_t j = 0; j < ldc; ++j) {
      const T got = c[i * ldc + j];
      if (j >= cs.n) {  // padding between rows: untouched
        if (got != T(kSentinel)) ++failures;
        continue;
      }
      long double sum = 0, sum_abs = 0;
      for (std::size_t p = 0; p < cs.k; ++p) {
        sum += static_cast<long double>(A(i, p)) * B(p, j);
        sum_abs += std::fabs(static_cast<long double>(A(i, p)) * B(p, j));
      }
      const long double old = cs.beta == 0 ? 0.0L : static_cast<long double>(c0[i * ldc + j]);
      long double want = static_cast<long double>(cs.alpha) * sum + static_cast<long double>(cs.beta) * old;
      if (cs.bias) want += bias[j];
      want = activate(cs.activation, static_cast<double>(want));
      const long double bound = 2 * (cs.k + 4) * eps *
                                    (std::fabs(static_cast<long double>(cs.alpha)) * sum_abs +
                                     std::fabs(static_cast<long double>(cs.beta) * old) +
                                     (cs.bias ? std::fabs(static_cast<long double>(bias[j])) : 0.0L)) +
                                16 * eps * std::fabs(want) + std::numeric_limits<T>::min();
      if (!std::isfinite(static_cast<double>(got)) || std::fabs(got - want) > bound) {
        if (failures < 5) {
          CAPTURE(i);
          CAPTURE(j);
          CAPTURE(static_cast<double>(got));
          CAPTURE(static_cast<double>(want));
          CAPTURE(static_cast<double>(bound));
          CHECK_MESSAGE(false, "element outside the error bound");
        }
        ++failures;
      }
    }
  }
  CHECK(failures == 0);
}

template <class T>
void run_cases_on_every_target(const std::vector<Case>& cases) {
  csc::test::for_each_simd_target([&] {
    std::mt19937 rng(42);
    for (const Case& cs : cases) check_case<T>(cs, rng);
  });
}

const Op kOps[] = {Op::none, Op::transpose};

// Every size in kShapes along one dimension while the other two stay small and ragged, for all four
// transpose combinations.
std::vector<Case> sweep_cases() {
  std::vector<Case> cases;
  for (int dim = 0; dim < 3; ++dim)
    for (std::size_t s : kShapes)
      for (Op op_a : kOps)
        for (Op op_b : kOps) {
          Case cs;
          cs.op_a = op_a;
          cs.op_b = op_b;
          cs.m = dim == 0 ? s : 13;
          cs.n = dim == 1 ? s : 37;
          cs.k = dim == 2 ? s : 29;
          cs.alpha = 1;
          cs.beta = 0;
          cases.push_back(cs);
        }
  return cases;
}

// Random combinations of the shapes, with alpha/beta, padded leading dimensions and epilogues.
std::vector<Case> random_cases(unsigned seed, std::size_t count) {
  std::mt19937 rng(seed);
  std::vector<Case> cases;
  const double alphas[] = {1, -1, 0.5, 2.5};
  const double betas[] = {0, 1, -0.75, 2};
  const Activation acts[] = {Activation::identity, Activation::relu, Activation::tanh, Activation::sigmoid};
  while (cases.size() < count) {
    Case cs;
    cs.m = kShapes[rng() % 10];
    cs.n = kShapes[rng() % 10];
    cs.k = kShapes[rng() % 10];
    if (cs.m * cs.n * cs.k > 4'000'000 || cs.m * cs.n > 200'000) continue;
    cs.op_a = kOps[rng() % 2];
    cs.op_b = kOps[rng() % 2];
    cs.alpha = alphas[rng() % 4];
    cs.beta = betas[rng() % 4];
    cs.pad_a = rng() % 3 == 0 ? 0 : rng() % 9;
    cs.pad_b = rng() % 3 == 0 ? 0 : rng() % 9;
    cs.pad_c = rng() % 3 == 0 ? 0 : rng() % 9;
    cs.bias = rng() % 2;
    cs.activation = acts[rng() % 4];
    cases.push_back(cs);
  }
  return cases;
}

TEST_CASE_TEMPLATE("gemm matches a triple loop for every size along each dimension", T, float, double) {
  run_cases_on_every_target<T>(sweep_cases());
}

TEST_CASE_TEMPLATE("gemm matches a triple loop on random shapes, alpha/beta, views and epilogues", T, float,
                   double) {
  run_cases_on_every_target<T>(random_cases(7, 40));
}

TEST_CASE_TEMPLATE("gemm with beta = 0 ignores NaN in C", T, float, double) {
  std::vector<Case> cases;
  for (std::size_t m : {1, 7, 65})
    for (std::size_t n : {3, 64, 127}) {
      Case cs;
      cs.m = m;
      cs.n = n;
      cs.k = 31;
      cs.beta = 0;
      cs.nan_in_c = true;
      cs.alpha = 1.5;
      cases.push_back(cs);
      cs.k = 0;  // no product at all: C is set to zero
      cases.push_back(cs);
    }
  run_cases_on_every_target<T>(cases);
}

TEST_CASE_TEMPLATE("gemm fuses bias and every activation into the store, ragged and whole tiles", T, float,
                   double) {
  std::vector<Case> cases;
  for (Activation act : {Activation::identity, Activation::relu, Activation::tanh, Activation::sigmoid})
    for (bool bias : {false, true})
      for (std::size_t n : {1, 32, 70, 128})
        for (double beta : {0.0, 1.0}) {
          Case cs;
          cs.m = 31;
          cs.n = n;
          cs.k = 40;
          cs.beta = beta;
          cs.bias = bias;
          cs.activation = act;
          cs.pad_c = 3;
          cs.scale = 2;  // sums reach +-40 or so: saturates tanh and sigmoid on both sides
          cases.push_back(cs);
          cs.k = 0;  // the epilogue still runs on beta * C
          cases.push_back(cs);
        }
  run_cases_on_every_target<T>(cases);
}

TEST_CASE_TEMPLATE("gemm with several cache blocks in every dimension and 1, 2 or 3 threads", T, float, double) {
  // k = 1200 spans several kc panels; two threads sharing n = 1400 columns each need several nc
  // blocks of B; one thread owning m = 3000 rows needs several mc blocks of A. The reference is a long double loop, so keep to the best target.
  const int saved = omp_get_max_threads();
  std::mt19937 rng(3);
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    omp_set_num_threads(threads);
    Case cs;
    cs.op_a = threads == 2 ? Op::transpose : Op::none;
    cs.op_b = threads == 3 ? Op::transpose : Op::none;
    cs.m = threads == 1 ? 3000 : threads == 2 ? 40 : 150;
    cs.n = threads == 1 ? 20 : threads == 2 ? 1400 : 700;
    cs.k = 1200;
    cs.alpha = 0.5;
    cs.beta = 2;
    cs.bias = true;
    cs.activation = Activation::tanh;
    cs.pad_a = 5;
    cs.pad_c = 1;
    check_case<T>(cs, rng);
  }
  omp_set_num_threads(saved);
}

TEST_CASE_TEMPLATE("gemm with a skinny result (n <= 64) and a long k: every layout, ragged edges", T, float,
                   double) {
  // These shapes take the skinny path (kernels/linalg/cpu/skinny.h): m x k >= 65536, k >= 64. The
  // m values are not multiples of any tile height, k = 2300 spans several chunks of the dot products
  // and of the Aᵀ·B sweep and ends in a partial vector, n covers one column (dot products), odd widths
  // (n = 5 takes the dot products where half a vector holds 5 values, else broadcast panels) and the limit.
  std::vector<Case> cases;
  std::mt19937 rng(11);
  for (Op op_a : kOps)
    for (Op op_b : kOps)
      for (std::size_t n : {1, 5, 30, 33, 64}) {
        Case cs;
        cs.op_a = op_a;
        cs.op_b = op_b;
        cs.m = n == 30 ? 29 : n == 33 ? 300 : 71;  // 300: B stored transposed is packed (256 rows or more)
        cs.n = n;
        cs.k = n == 30 ? 2300 : 1000;
        cs.alpha = n == 5 ? -0.5 : 1;
        cs.beta = n == 33 ? 0.75 : 0;
        cs.pad_a = rng() % 5;
        cs.pad_b = rng() % 5;
        cs.pad_c = rng() % 3;
        cs.bias = n == 64;
        cs.activation = n == 64 ? Activation::relu : Activation::identity;
        cases.push_back(cs);
      }
  run_cases_on_every_target<T>(cases);
  // Parts of C's rows on 1, 2 and 3 threads, and a team smaller than the parts (nested region). With
  // m = 400, a B stored transposed is packed too (below 256 rows, dot products read it in place).
  const int saved = omp_get_max_threads();
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    omp_set_num_threads(threads);
    for (Op op_a : kOps) {
      for (Op op_b : kOps) {
        Case cs;
        cs.op_a = op_a;
        cs.op_b = op_b;
        cs.m = 400;
        cs.n = 20;
        cs.k = 900;
        cs.beta = 1;
        check_case<T>(cs, rng);
#pragma omp parallel num_threads(2)
        {
#pragma omp single
          check_case<T>(cs, rng);
        }
      }
    }
  }
  omp_set_num_threads(saved);
}

TEST_CASE("gemm with alpha = 0 does not read A or B") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> a(6, nan), b(6, nan), c = {1, 2, 3, 4};
  gemm(Op::none, Op::none, 2, 2, 3, 0.0f, a.data(), 3, b.data(), 2, 2.0f, c.data(), 2);
  CHECK(c == std::vector<float>{2, 4, 6, 8});
}

TEST_CASE("gemm keeps NaN through relu, and sigmoid/tanh saturate without overflow") {
  // C = A B with A[i][0] = NaN, 1e30 or -1e30 (the rest 0) and B all ones: a product big enough for
  // the packed path, whose rows are exactly those three values before the activation.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float values[] = {nan, 1e30f, -1e30f};
  const std::size_t m = 63, n = 40, k = 64;
  std::vector<float> a(m * k, 0.0f), b(k * n, 1.0f), c(m * n);
  for (std::size_t i = 0; i < m; ++i) a[i * k] = values[i % 3];
  for (Activation act : {Activation::relu, Activation::tanh, Activation::sigmoid}) {
    CAPTURE(static_cast<int>(act));
    const float big = act == Activation::relu ? 1e30f : 1.0f;
    const float small = act == Activation::tanh ? -1.0f : 0.0f;
    csc::test::for_each_simd_target([&] {
      gemm(Op::none, Op::none, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n, {nullptr, act});
      std::size_t wrong = 0;
      for (std::size_t i = 0; i < m; ++i)
        for (std::size_t j = 0; j < n; ++j) {
          const float got = c[i * n + j];
          const bool ok = i % 3 == 0 ? std::isnan(got) : got == (i % 3 == 1 ? big : small);
          wrong += !ok;
        }
      CHECK(wrong == 0);
    });
  }
}

TEST_CASE("gemm rejects leading dimensions smaller than the rows and null matrices") {
  std::vector<double> a(64), b(64), c(64);
  // A is 4 x 5 (Op::none): lda must be >= 5.
  CHECK_THROWS_AS(gemm(Op::none, Op::none, 4, 3, 5, 1.0, a.data(), 4, b.data(), 3, 0.0, c.data(), 3),
                  std::invalid_argument);
  // A stored transposed is 5 x 4: lda must be >= 4.
  CHECK_THROWS_AS(gemm(Op::transpose, Op::none, 4, 3, 5, 1.0, a.data(), 3, b.data(), 3, 0.0, c.data(), 3),
                  std::invalid_argument);
  CHECK_THROWS_AS(gemm(Op::none, Op::none, 4, 3, 5, 1.0, a.data(), 5, b.data(), 2, 0.0, c.data(), 3),
                  std::invalid_argument);
  CHECK_THROWS_AS(gemm(Op::none, Op::transpose, 4, 3, 5, 1.0, a.data(), 5, b.data(), 4, 0.0, c.data(), 3),
                  std::invalid_argument);
  CHECK_THROWS_AS(gemm(Op::none, Op::none, 4, 3, 5, 1.0, a.data(), 5, b.data(), 3, 0.0, c.data(), 2),
                  std::invalid_argument);
  CHECK_THROWS_AS(gemm(Op::none, Op::none, 4, 3, 5, 1.0, nullptr, 5, b.data(), 3, 0.0, c.data(), 3),
                  std::invalid_argument);
  CHECK_THROWS_AS(gemm(Op::none, Op::none, 4, 3, 5, 1.0, a.data(), 5, b.data(), 3, 0.0, nullptr, 3),
                  std::invalid_argument);
  // Empty products need no storage at all.
  CHECK_NOTHROW(gemm(Op::none, Op::none, 0, 0, 0, 1.0, nullptr, 0, nullptr, 0, 0.0, nullptr, 0));
  CHECK_NOTHROW(gemm(Op::none, Op::none, 0, 3, 5, 1.0, nullptr, 0, b.data(), 3, 0.0, nullptr, 0));
}

}  // namespace

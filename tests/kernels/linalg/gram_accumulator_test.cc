// GramAccumulator against a two-pass long double reference: any block sizes, merges, views, and data
// with a 1e6 offset on which the one-pass sum-of-squares formula demonstrably fails.
#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/linalg/syrk.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::linalg::GramAccumulator;

struct Reference {
  std::vector<long double> mean, scatter;
};

// Two passes: the mean, then sum (x - mean)(x - mean)^T.
template <class T>
Reference two_pass(const std::vector<T>& x, std::size_t rows, std::size_t d) {
  Reference ref{std::vector<long double>(d, 0.0L), std::vector<long double>(d * d, 0.0L)};
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < d; ++j) ref.mean[j] += x[i * d + j];
  for (auto& m : ref.mean) m /= static_cast<long double>(rows);
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t a = 0; a < d; ++a)
      for (std::size_t b = 0; b < d; ++b)
        ref.scatter[a * d + b] += (x[i * d + a] - ref.mean[a]) * (x[i * d + b] - ref.mean[b]);
  return ref;
}

// Columns of unit-ish spread (different per column, correlated with column 0) around `offset`.
template <class T>
std::vector<T> make_data(std::size_t rows, std::size_t d, double offset, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<T> x(rows * d);
  for (std::size_t i = 0; i < rows; ++i) {
    const double common = normal(rng);
    for (std::size_t j = 0; j < d; ++j)
      x[i * d + j] = static_cast<T>(offset * (1.0 + 0.1 * j) + (1.0 + 0.5 * j) * normal(rng) + 0.3 * common);
  }
  return x;
}

// Largest |got - want| relative to sqrt(S_aa S_bb), the natural scale of a scatter entry (it bounds
// sum |x_a - mean_a| |x_b - mean_b| by Cauchy-Schwarz).
double worst_relative_error(const std::vector<double>& got, const Reference& ref, std::size_t d) {
  double worst = 0;
  for (std::size_t a = 0; a < d; ++a)
    for (std::size_t b = 0; b < d; ++b) {
      const long double scale = std::sqrt(ref.scatter[a * d + a] * ref.scatter[b * d + b]);
      worst = std::max(worst, static_cast<double>(std::fabs(got[a * d + b] - ref.scatter[a * d + b]) / scale));
    }
  return worst;
}

// Float data is summed in float inside each SYRK chunk (at most 8192 rows): error ~ rows * eps at
// worst; double data gets the 1e-12 the kernels promise.
template <class T>
double tolerance(std::size_t rows) {
  return std::is_same_v<T, float> ? 4.0 * (std::min<std::size_t>(rows, 8192) + 4) * 0x1p-24 : 1e-12;
}

template <class T>
void add_in_blocks(GramAccumulator<T>& acc, const std::vector<T>& x, std::size_t rows, std::size_t d,
                   std::size_t block) {
  for (std::size_t start = 0; start < rows; start += block)
    acc.add_block(x.data() + start * d, std::min(block, rows - start), d);
}

TEST_CASE_TEMPLATE("GramAccumulator matches two passes for blocks of 1, 7 and everything at once", T, float,
                   double) {
  const std::size_t rows = 2000, d = 37;
  for (double offset : {0.0, 1e6}) {
    CAPTURE(offset);
    const auto x = make_data<T>(rows, d, offset, 1);
    const Reference ref = two_pass(x, rows, d);
    csc::test::for_each_simd_target([&] {
      for (std::size_t block : {std::size_t{1}, std::size_t{7}, rows}) {
        CAPTURE(block);
        GramAccumulator<T> acc(d);
        add_in_blocks(acc, x, rows, d, block);
        CHECK(acc.count() == rows);
        for (std::size_t j = 0; j < d; ++j)
          CHECK(acc.mean()[j] == doctest::Approx(static_cast<double>(ref.mean[j])).epsilon(1e-12));
        CHECK(worst_relative_error(acc.scatter(), ref, d) <= tolerance<T>(block));
      }
    });
  }
}

TEST_CASE_TEMPLATE("GramAccumulator survives a 1e6 offset where the one-pass formula fails", T, float, double) {
  const std::size_t rows = 20000, d = 3;  // 20000 rows in one block: several 8192-row chunks
  const auto x = make_data<T>(rows, d, 1e6, 2);
  const Reference ref = two_pass(x, rows, d);

  // The textbook one-pass formula in the data's own precision: sum x x^T - sum x sum x^T / n.
  std::vector<T> sum(d, T(0)), sum_sq(d * d, T(0));
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t a = 0; a < d; ++a) {
      sum[a] += x[i * d + a];
      for (std::size_t b = 0; b < d; ++b) sum_sq[a * d + b] += x[i * d + a] * x[i * d + b];
    }
  std::vector<double> naive(d * d);
  for (std::size_t a = 0; a < d; ++a)
    for (std::size_t b = 0; b < d; ++b)
      naive[a * d + b] = static_cast<double>(sum_sq[a * d + b] - sum[a] * sum[b] / static_cast<T>(rows));
  const double naive_error = worst_relative_error(naive, ref, d);

  GramAccumulator<T> acc(d);
  acc.add_block(x.data(), rows, d);
  const double error = worst_relative_error(acc.scatter(), ref, d);
  CAPTURE(naive_error);
  CAPTURE(error);
  CHECK(naive_error > 100 * tolerance<T>(rows));  // the data really is hard...
  CHECK(error <= tolerance<T>(rows));             // ...and the accumulator is not fooled
}

TEST_CASE_TEMPLATE("GramAccumulator merge equals adding all rows to one accumulator", T, float, double) {
  const std::size_t rows = 900, d = 20;
  const auto x = make_data<T>(rows, d, 1e6, 3);
  const Reference ref = two_pass(x, rows, d);
  GramAccumulator<T> first(d), second(d), empty(d);
  first.add_block(x.data(), 300, d);
  second.add_block(x.data() + 300 * d, rows - 300, d);
  first.merge(empty);
  first.merge(second);
  CHECK(first.count() == rows);
  CHECK(worst_relative_error(first.scatter(), ref, d) <= tolerance<T>(rows));
  empty.merge(first);  // merging into an empty accumulator copies
  CHECK(empty.count() == rows);
  CHECK(worst_relative_error(empty.scatter(), ref, d) <= tolerance<T>(rows));

  GramAccumulator<T> other_dim(d + 1);
  CHECK_THROWS_AS(first.merge(other_dim), std::invalid_argument);
}

TEST_CASE("GramAccumulator reads views with a leading dimension and rejects ld < d") {
  const std::size_t rows = 50, d = 4, ld = 7;
  const auto dense = make_data<double>(rows, d, 10.0, 4);
  std::vector<double> view(rows * ld, std::numeric_limits<double>::quiet_NaN());  // padding must not be read
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < d; ++j) view[i * ld + j] = dense[i * d + j];
  GramAccumulator<double> acc(d);
  acc.add_block(view.data(), 20, ld);
  acc.add_block(view.data() + 20 * ld, rows - 20, ld);
  CHECK(worst_relative_error(acc.scatter(), two_pass(dense, rows, d), d) <= 1e-12);
  CHECK_THROWS_AS(acc.add_block(view.data(), 3, d - 1), std::invalid_argument);
  CHECK_THROWS_AS(acc.add_block(nullptr, 3, d), std::invalid_argument);
  CHECK_NOTHROW(acc.add_block(nullptr, 0, d));
}

TEST_CASE("GramAccumulator before any row: zero count, zero means and scatter") {
  GramAccumulator<float> acc(3);
  CHECK(acc.count() == 0);
  CHECK(acc.mean() == std::vector<double>(3, 0.0));
  CHECK(acc.scatter() == std::vector<double>(9, 0.0));
  GramAccumulator<float> none(0);
  none.add_block(nullptr, 5, 0);
  CHECK(none.count() == 5);
  CHECK(none.scatter().empty());
}

}  // namespace

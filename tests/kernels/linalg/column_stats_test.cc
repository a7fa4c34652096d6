// Column means/variances/min/max/non-finite counts against a two-pass long-double reference, on every
// SIMD target, including a 1e8 offset that defeats the textbook sum-of-squares formula.
#include <doctest/doctest.h>
#include <omp.h>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "kernels/linalg/column_stats.h"
#include "tests/support/simd_targets.h"

namespace {

using csc::linalg::ColumnStats;
using csc::test::for_each_simd_target;

struct Reference {
  std::vector<long double> mean, m2;
  std::vector<double> min, max;
  std::vector<std::size_t> nonfinite;
};

// Two passes in long double over the finite cells, min/max over finite cells.
template <class T>
Reference reference(const std::vector<T>& x, std::size_t rows, std::size_t cols, std::size_t ld) {
  Reference r;
  r.mean.assign(cols, 0);
  r.m2.assign(cols, 0);
  r.min.assign(cols, NAN);
  r.max.assign(cols, NAN);
  r.nonfinite.assign(cols, 0);
  for (std::size_t j = 0; j < cols; ++j) {
    long double sum = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      const double v = x[i * ld + j];
      if (!std::isfinite(v)) {
        ++r.nonfinite[j];
        continue;
      }
      sum += v;
      r.min[j] = std::isnan(r.min[j]) ? v : std::min(r.min[j], v);
      r.max[j] = std::isnan(r.max[j]) ? v : std::max(r.max[j], v);
    }
    r.mean[j] = sum / static_cast<long double>(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      const long double dev = x[i * ld + j] - r.mean[j];
      r.m2[j] += dev * dev;
    }
  }
  return r;
}

template <class T>
std::vector<T> random_matrix(std::size_t rows, std::size_t ld, std::uint64_t seed, double offset, double spread) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, spread);
  std::vector<T> x(rows * ld);
  for (auto& v : x) v = static_cast<T>(offset + normal(rng));
  return x;
}

void check_against(const ColumnStats& s, const Reference& r, std::size_t rows, double mean_tol, double m2_tol) {
  REQUIRE(s.rows == rows);
  REQUIRE(s.cols() == r.mean.size());
  for (std::size_t j = 0; j < s.cols(); ++j) {
    CAPTURE(j);
    if (rows == 0) {
      CHECK(std::isnan(s.mean[j]));
      continue;
    }
    const double mean = static_cast<double>(r.mean[j]), m2 = static_cast<double>(r.m2[j]);
    CHECK(std::fabs(s.mean[j] - mean) <= mean_tol * (std::fabs(mean) + 1));
    CHECK(std::fabs(s.m2[j] - m2) <= m2_tol * (m2 + 1e-300));
    CHECK(s.min[j] == r.min[j]);
    CHECK(s.max[j] == r.max[j]);
    CHECK(s.nonfinite[j] == 0);
  }
}

}  // namespace

TEST_CASE_TEMPLATE("column stats match a two-pass reference for ragged shapes and padded rows", T, float, double) {
  const std::size_t kRows[] = {0, 1, 2, 3, 7, 31, 64, 65, 127, 1000};
  const std::size_t kCols[] = {1, 2, 3, 7, 31, 64, 65, 127, 200};
  const T nan = std::numeric_limits<T>::quiet_NaN();
  for_each_simd_target([&] {
    for (std::size_t rows : kRows)
      for (std::size_t cols : kCols) {
        CAPTURE(rows);
        CAPTURE(cols);
        const std::size_t ld = cols + 2;
        auto x = random_matrix<T>(rows, ld, rows * 131 + cols, 3.0, 2.0);
        for (std::size_t i = 0; i < rows; ++i) x[i * ld + cols] = x[i * ld + cols + 1] = nan;  // must not be read
        const ColumnStats s = csc::linalg::column_stats(rows, cols, x.data(), ld);
        check_against(s, reference(x, rows, cols, ld), rows, 1e-14, 1e-12);
      }
  });
}

TEST_CASE_TEMPLATE("column stats on large inputs use threads without changing the result", T, float, double) {
  // 20000 x 3 takes the row-chunk path, 3000 x 300 the column-strip path.
  const std::size_t kShapes[][2] = {{20000, 3}, {3000, 300}};
  for (const auto& shape : kShapes) {
    const std::size_t rows = shape[0], cols = shape[1];
    CAPTURE(rows);
    const auto x = random_matrix<T>(rows, cols, 99, -1.0, 1.0);
    const Reference r = reference(x, rows, cols, cols);
    const int saved = omp_get_max_threads();
    omp_set_num_threads(1);
    const ColumnStats one = csc::linalg::column_stats(rows, cols, x.data(), cols);
    omp_set_num_threads(2);
    const ColumnStats two = csc::linalg::column_stats(rows, cols, x.data(), cols);
    omp_set_num_threads(saved);
    check_against(two, r, rows, 1e-14, 1e-12);
    CHECK(one.mean == two.mean);
    CHECK(one.m2 == two.m2);
  }
}

TEST_CASE("column stats survive a 1e8 offset (catastrophic cancellation check)") {
  // Unit-variance noise on 1e8: sum(x^2) - n mean^2 loses every digit in double here.
  for_each_simd_target([&] {
    for (std::size_t rows : {2, 31, 1000, 20000}) {
      CAPTURE(rows);
      const std::size_t cols = 5;
      const auto x = random_matrix<double>(rows, cols, 7 + rows, 1e8, 1.0);
      const Reference r = reference(x, rows, cols, cols);
      const ColumnStats s = csc::linalg::column_stats(rows, cols, x.data(), cols);
      // The mean itself is only held to double precision at 1e8 (ulp 1.5e-8), which bounds how well
      // later merges know each block's offset: 1e-9 relative on M2, against O(1) for the naive formula.
      check_against(s, r, rows, 1e-15, 1e-9);
      const std::vector<double> sample = s.variance(1), population = s.variance(0);
      for (std::size_t j = 0; j < cols; ++j) {
        CHECK(sample[j] == doctest::Approx(static_cast<double>(r.m2[j] / (rows - 1))).epsilon(1e-9));
        CHECK(population[j] == doctest::Approx(static_cast<double>(r.m2[j] / rows)).epsilon(1e-9));
      }
    }
  });
}

TEST_CASE_TEMPLATE("column stats count non-finite cells and report NaN statistics for them", T, float, double) {
  const T nan = std::numeric_limits<T>::quiet_NaN(), inf = std::numeric_limits<T>::infinity();
  for_each_simd_target([&] {
    // Column 0 clean, 1 one NaN, 2 one +inf and one -inf, 3 all NaN, 4 constant (zero variance).
    const std::size_t rows = 37, cols = 5;
    auto x = random_matrix<T>(rows, cols, 5, 0.0, 1.0);
    x[10 * cols + 1] = nan;
    x[0 * cols + 2] = inf;
    x[36 * cols + 2] = -inf;
    for (std::size_t i = 0; i < rows; ++i) x[i * cols + 3] = nan;
    for (std::size_t i = 0; i < rows; ++i) x[i * cols + 4] = T(2.5);
    const ColumnStats s = csc::linalg::column_stats(rows, cols, x.data(), cols);
    const Reference r = reference(x, rows, cols, cols);
    CHECK(s.nonfinite == std::vector<std::size_t>{0, 1, 2, rows, 0});
    CHECK(std::isfinite(s.mean[0]));
    for (std::size_t j : {1, 2, 3}) {
      CHECK(std::isnan(s.mean[j]));
      CHECK(std::isnan(s.m2[j]));
    }
    CHECK(s.min[1] == r.min[1]);  // min/max skip the non-finite cells
    CHECK(s.max[2] == r.max[2]);
    CHECK(std::isnan(s.min[3]));  // no finite cell at all
    CHECK(std::isnan(s.max[3]));
    CHECK(s.mean[4] == 2.5);
    CHECK(s.m2[4] == 0.0);
    CHECK(s.variance(1)[4] == 0.0);
  });
}

TEST_CASE_TEMPLATE("merging blocks equals one pass over all rows", T, float, double) {
  const std::size_t rows = 5000, cols = 9;
  const auto x = random_matrix<T>(rows, cols, 17, 1e3, 3.0);
  ColumnStats total;
  for (std::size_t r0 = 0; r0 < rows; r0 += 777) {
    const std::size_t n = std::min<std::size_t>(777, rows - r0);
    csc::linalg::merge_column_stats(total, csc::linalg::column_stats(n, cols, x.data() + r0 * cols, cols));
  }
  csc::linalg::merge_column_stats(total, csc::linalg::column_stats(0, cols, x.data(), cols));
  check_against(total, reference(x, rows, cols, cols), rows, 1e-14, 1e-11);
  const ColumnStats other_width = csc::linalg::column_stats(3, 4, x.data(), 4);
  CHECK_THROWS_AS(csc::linalg::merge_column_stats(total, other_width), std::invalid_argument);
}

TEST_CASE("column stats: degenerate shapes, ddof and bad input") {
  const std::vector<double> one = {4.0, -1.0};
  const ColumnStats s = csc::linalg::column_stats(1, 2, one.data(), 2);
  CHECK(s.mean == std::vector<double>{4.0, -1.0});
  CHECK(s.variance(0) == std::vector<double>{0.0, 0.0});
  CHECK(std::isnan(s.variance(1)[0]));  // one row: no sample variance
  const ColumnStats empty = csc::linalg::column_stats(0, 3, static_cast<const double*>(nullptr), 3);
  CHECK(empty.rows == 0);
  CHECK(empty.cols() == 3);
  CHECK(std::isnan(empty.mean[0]));
  CHECK(csc::linalg::column_stats(4, 0, static_cast<const float*>(nullptr), 0).cols() == 0);
  CHECK_THROWS_AS(csc::linalg::column_stats(2, 3, one.data(), 2), std::invalid_argument);
  CHECK_THROWS_AS(csc::linalg::column_stats(2, 3, static_cast<const double*>(nullptr), 3), std::invalid_argument);
}

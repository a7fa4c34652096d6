// The log-linear histogram: percentiles against the exact order statistic of the same samples (sorted
// in the test), within the documented relative error; exact min, max, mean and stddev.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels/io/latency_histogram.h"
#include "kernels/io/random.h"

using csc::io::LatencyHistogram;
using csc::io::Xoshiro256;

namespace {

// Nearest-rank percentile of sorted values, the definition the histogram documents.
double exact_percentile(const std::vector<std::uint64_t>& sorted, double p) {
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n - 1e-9));
  rank = std::max<std::size_t>(rank, 1);
  return static_cast<double>(sorted[rank - 1]);
}

void check_against_exact(const std::vector<std::uint64_t>& values) {
  LatencyHistogram h;
  for (auto v : values) h.record(v);
  std::vector<std::uint64_t> sorted = values;
  std::sort(sorted.begin(), sorted.end());
  REQUIRE(h.count() == values.size());
  CHECK(h.min_ns() == sorted.front());
  CHECK(h.max_ns() == sorted.back());
  long double sum = 0;
  for (auto v : values) sum += v;
  const long double mean = sum / values.size();
  long double ss = 0;
  for (auto v : values) ss += (v - mean) * (v - mean);
  CHECK(h.mean_ns() == doctest::Approx(static_cast<double>(mean)).epsilon(1e-12));
  if (values.size() > 1)
    CHECK(h.stddev_ns() == doctest::Approx(static_cast<double>(std::sqrt(ss / (values.size() - 1)))).epsilon(1e-9));
  for (double p : {0.0, 1.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    const double exact = exact_percentile(sorted, p);
    const double got = h.percentile_ns(p);
    CAPTURE(p);
    CAPTURE(exact);
    CHECK(std::fabs(got - exact) <= exact * LatencyHistogram::kMaxRelativeError + 1e-9);
  }
}

}  // namespace

TEST_CASE("bucket boundaries are contiguous and at most 1/64 wide relative to their start") {
  std::uint64_t expected_low = 0;
  for (std::size_t i = 0; i < 2000; ++i) {
    const auto b = LatencyHistogram::bucket_bounds(i);
    REQUIRE(b.low_ns == expected_low);
    CHECK(LatencyHistogram::bucket_index(b.low_ns) == i);
    CHECK(LatencyHistogram::bucket_index(b.low_ns + b.width_ns - 1) == i);
    if (b.low_ns >= 128) CHECK(static_cast<double>(b.width_ns) / static_cast<double>(b.low_ns) <= 1.0 / 64);
    expected_low = b.low_ns + b.width_ns;
  }
}

TEST_CASE("percentiles stay within the error bound on log-normal-like latencies") {
  Xoshiro256 rng(11);
  std::vector<std::uint64_t> values;
  for (int i = 0; i < 100000; ++i) {
    // 20 µs × e^(N(0,1)-ish): sum of uniforms, spread over three decades like real latencies
    double g = 0;
    for (int k = 0; k < 6; ++k) g += static_cast<double>(rng.below(1u << 20)) / (1u << 20);
    values.push_back(static_cast<std::uint64_t>(20000.0 * std::exp(2.0 * (g - 3.0))));
  }
  check_against_exact(values);
}

TEST_CASE("small, exact and extreme values") {
  check_against_exact({42});
  check_against_exact({0, 1, 2, 3, 127, 128, 129});
  check_against_exact({1000, 1000, 1000, 1000});
  check_against_exact({5, 5'000'000'000ull, 70, 123456789});
  std::vector<std::uint64_t> wide;
  for (std::uint64_t v = 1; v < (1ull << 40); v = v * 3 + 1) wide.push_back(v);
  check_against_exact(wide);
}

TEST_CASE("an empty histogram reports zeros") {
  LatencyHistogram h;
  CHECK(h.count() == 0);
  CHECK(h.min_ns() == 0);
  CHECK(h.mean_ns() == 0.0);
  CHECK(h.stddev_ns() == 0.0);
  CHECK(h.percentile_ns(99) == 0.0);
  CHECK(h.nonempty_buckets().empty());
}

TEST_CASE("merging equals recording everything in one histogram") {
  LatencyHistogram a, b, all;
  Xoshiro256 rng(5);
  for (int i = 0; i < 5000; ++i) {
    const std::uint64_t v = rng.below(1'000'000);
    (i % 3 ? a : b).record(v);
    all.record(v);
  }
  a.merge(b);
  CHECK(a.count() == all.count());
  CHECK(a.min_ns() == all.min_ns());
  CHECK(a.max_ns() == all.max_ns());
  CHECK(a.mean_ns() == all.mean_ns());
  CHECK(a.stddev_ns() == all.stddev_ns());
  for (double p : {50.0, 99.0, 99.99}) CHECK(a.percentile_ns(p) == all.percentile_ns(p));
  std::uint64_t total = 0;
  for (const auto& bucket : a.nonempty_buckets()) total += bucket.count;
  CHECK(total == 5000);
}

TEST_CASE("values beyond the range are clamped into the last bucket, max stays exact") {
  LatencyHistogram h;
  h.record(UINT64_MAX / 2);
  CHECK(h.max_ns() == UINT64_MAX / 2);
  CHECK(h.count() == 1);
  CHECK(h.percentile_ns(50) <= static_cast<double>(UINT64_MAX / 2));
}

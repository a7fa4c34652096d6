// The log-linear histogram: bucket index from the position of the highest set bit and the next six bits.
#include "kernels/io/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace csc::io {

namespace {

constexpr std::uint64_t kSub = std::uint64_t{1} << LatencyHistogram::kSubBucketBits;  // 64
constexpr std::uint64_t kExactBelow = 2 * kSub;                                     // 128: width-1 buckets
constexpr std::uint64_t kMaxValue = (std::uint64_t{1} << LatencyHistogram::kMaxBits) - 1;
const std::size_t kBucketCount = LatencyHistogram::bucket_index(kMaxValue) + 1;

}  // namespace

std::size_t LatencyHistogram::bucket_index(std::uint64_t ns) {
  ns = std::min(ns, kMaxValue);
  if (ns < kExactBelow) return ns;
  const int msb = 63 - std::countl_zero(ns);
  const int shift = msb - kSubBucketBits;  // >= 1
  const std::uint64_t top = ns >> shift;   // in [64, 127]
  return kExactBelow + (shift - 1) * kSub + (top - kSub);
}

LatencyHistogram::Bucket LatencyHistogram::bucket_bounds(std::size_t index) {
  if (index < kExactBelow) return {index, 1, 0};
  const std::uint64_t shift = (index - kExactBelow) / kSub + 1;
  const std::uint64_t top = kSub + (index - kExactBelow) % kSub;
  return {top << shift, std::uint64_t{1} << shift, 0};
}

LatencyHistogram::LatencyHistogram() : counts_(kBucketCount, 0) {}

void LatencyHistogram::record(std::uint64_t ns) {
  ++counts_[bucket_index(ns)];
  ++count_;
  sum_ += ns;
  sum_squares_ += static_cast<unsigned __int128>(ns) * ns;
  min_ = std::min(min_, ns);
  max_ = std::max(max_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  sum_squares_ += other.sum_squares_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

double LatencyHistogram::mean_ns() const {
  return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0;
}

double LatencyHistogram::stddev_ns() const {
  if (count_ < 2) return 0.0;
  // n·Σx² − (Σx)² is exact in 128-bit integers unless it overflows; then long double carries it.
  const unsigned __int128 n = count_;
  const unsigned __int128 sum = sum_;
  unsigned __int128 n_sum_squares, sum_sq;
  long double numerator;
  if (!__builtin_mul_overflow(n, sum_squares_, &n_sum_squares) && !__builtin_mul_overflow(sum, sum, &sum_sq))
    numerator = static_cast<long double>(n_sum_squares - sum_sq);
  else
    numerator = static_cast<long double>(n) * static_cast<long double>(sum_squares_) -
                static_cast<long double>(sum) * static_cast<long double>(sum);
  const long double variance = numerator / (static_cast<long double>(n) * static_cast<long double>(n - 1));
  return variance > 0 ? static_cast<double>(std::sqrt(variance)) : 0.0;
}

double LatencyHistogram::percentile_ns(double p) const {
  if (count_ == 0) return 0.0;
  p = std::clamp(p, 0.0, 100.0);
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(p / 100.0 * static_cast<double>(count_) - 1e-9)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const Bucket b = bucket_bounds(i);
      const double mid = static_cast<double>(b.low_ns) + static_cast<double>(b.width_ns - 1) / 2.0;
      return std::clamp(mid, static_cast<double>(min_), static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

std::vector<LatencyHistogram::Bucket> LatencyHistogram::nonempty_buckets() const {
  std::vector<Bucket> out;
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (counts_[i]) {
      Bucket b = bucket_bounds(i);
      b.count = counts_[i];
      out.push_back(b);
    }
  return out;
}

}  // namespace csc::io

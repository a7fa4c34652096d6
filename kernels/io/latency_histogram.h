// Latency statistics: exact count/min/max/mean/stddev and a log-linear histogram (HDR-style) whose
// percentiles are within 1/128 (0.78%) of the exact order statistic.
#pragma once

#include <cstdint>
#include <vector>

namespace csc::io {

class LatencyHistogram {
 public:
  // Every power of two is split into 64 linear sub-buckets; values below 128 ns are exact.
  static constexpr int kSubBucketBits = 6;
  static constexpr int kMaxBits = 44;  // values are clamped at 2^44 ns (about 4.9 hours)
  static constexpr double kMaxRelativeError = 1.0 / 128;

  LatencyHistogram();

  void record(std::uint64_t ns);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  std::uint64_t min_ns() const { return count_ ? min_ : 0; }
  std::uint64_t max_ns() const { return max_; }
  double mean_ns() const;
  double stddev_ns() const;  // sample standard deviation (n - 1), as fio reports it; 0 below two samples
  // Nearest-rank percentile (p in [0, 100]): the smallest recorded value with at least p% of the samples
  // at or below it, reported as its bucket's midpoint clamped to [min, max]. 0 when empty.
  double percentile_ns(double p) const;

  struct Bucket {
    std::uint64_t low_ns;    // first value in the bucket
    std::uint64_t width_ns;  // values low_ns .. low_ns + width_ns - 1
    std::uint64_t count;
  };
  std::vector<Bucket> nonempty_buckets() const;

  static std::size_t bucket_index(std::uint64_t ns);
  static Bucket bucket_bounds(std::size_t index);

 private:
  std::vector<std::uint64_t> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  unsigned __int128 sum_squares_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
};

}  // namespace csc::io

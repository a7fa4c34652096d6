// Test data for the PCA tests: the planted low-rank + noise generator (bit-for-bit the same as
// scripts/bench/pca_reference.py's `planted`, so the scikit-learn numbers apply) and a tiny reader for
// the plain numeric CSV files in tests/data (no quoting needed there).
#pragma once

#include <cmath>
#include <cstdint>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace csc::pca::test {

struct Matrix {
  std::size_t rows = 0, cols = 0;
  std::vector<double> values;  // row-major
};

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    state_ += 0x9E3779B97F4A7C15ull;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }
  double normal() {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }

 private:
  std::uint64_t state_;
};

// Row i: offset_j + sum_r sqrt(variances[r]) z_r q_r[j] + sigma e_j, offset_j = 10 + j, q_r the DCT-II
// basis vectors (orthonormal), z and e standard normal. The covariance's eigenvalues are
// variances[r] + sigma^2 and then sigma^2.
inline Matrix planted(std::size_t rows, std::size_t cols, const std::vector<double>& variances, double sigma,
                      std::uint64_t seed) {
  const std::size_t rank = variances.size();
  std::vector<std::vector<double>> basis(rank, std::vector<double>(cols));
  for (std::size_t r = 0; r < rank; ++r)
    for (std::size_t j = 0; j < cols; ++j)
      basis[r][j] = std::sqrt(2.0 / static_cast<double>(cols)) *
                    std::cos(std::numbers::pi * (static_cast<double>(j) + 0.5) * static_cast<double>(r + 1) /
                             static_cast<double>(cols));
  std::vector<double> amplitude(rank);
  for (std::size_t r = 0; r < rank; ++r) amplitude[r] = std::sqrt(variances[r]);
  SplitMix64 rng(seed);
  Matrix m{rows, cols, std::vector<double>(rows * cols)};
  std::vector<double> z(rank);
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t r = 0; r < rank; ++r) z[r] = amplitude[r] * rng.normal();
    for (std::size_t j = 0; j < cols; ++j) {
      double value = 10.0 + static_cast<double>(j);
      for (std::size_t r = 0; r < rank; ++r) value += z[r] * basis[r][j];
      m.values[i * cols + j] = value + sigma * rng.normal();
    }
  }
  return m;
}

// Columns `columns` (0-based) of a comma-separated file of plain numbers; `header` skips line 1.
inline Matrix read_csv_columns(const std::string& path, const std::vector<std::size_t>& columns, bool header) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  Matrix m;
  m.cols = columns.size();
  std::string line;
  if (header) std::getline(in, line);
  std::vector<std::string> fields;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    fields.clear();
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, ',')) fields.push_back(field);
    for (std::size_t c : columns) m.values.push_back(std::stod(fields.at(c)));
    ++m.rows;
  }
  return m;
}

inline std::vector<std::size_t> column_range(std::size_t first, std::size_t count) {
  std::vector<std::size_t> out(count);
  for (std::size_t i = 0; i < count; ++i) out[i] = first + i;
  return out;
}

inline Matrix digits() {
  return read_csv_columns(std::string(CSC_TEST_DATA) + "/digits/digits.csv", column_range(0, 64), true);
}
inline Matrix magic() {
  return read_csv_columns(std::string(CSC_TEST_DATA) + "/magic/magic04.data", column_range(0, 10), false);
}
// Zmumu_Run2011A.csv: pt1,eta1,phi1,dxy1,iso1 (0-based columns 2,3,4,6,7) and pt2,eta2,phi2,dxy2,iso2
// (8,9,10,12,13); Q1, Q2 (5, 11) are the charges.
inline Matrix cms() {
  return read_csv_columns(std::string(CSC_TEST_DATA) + "/cms/Zmumu_Run2011A.csv", {2, 3, 4, 6, 7, 8, 9, 10, 12, 13},
                          true);
}

}  // namespace csc::pca::test

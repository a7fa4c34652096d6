// SYRK (Gram matrices X^T X / X X^T on one triangle) and the streaming, centred Gram accumulator for PCA.
#pragma once

#include <cstddef>
#include <vector>

#include "kernels/linalg/gemm.h"

namespace csc::linalg {

enum class Triangle { lower, upper };

// C (n x n, row-major, ldc >= n) = alpha * G + beta * C on ONE triangle (diagonal included); the other
// triangle is neither read nor written.
//   Op::transpose: G = X^T X, X is k x n (ldx >= n): rows of X are observations (the covariance case).
//   Op::none:      G = X X^T, X is n x k (ldx >= k).
// beta == 0: C is not read. Throws std::invalid_argument on bad leading dimensions / null pointers.
void syrk(Triangle tri, Op op, std::size_t n, std::size_t k, float alpha, const float* x, std::size_t ldx,
          float beta, float* c, std::size_t ldc);
void syrk(Triangle tri, Op op, std::size_t n, std::size_t k, double alpha, const double* x,
          std::size_t ldx, double beta, double* c, std::size_t ldc);

// Copies the `filled` triangle of C (n x n) onto the other one, making C symmetric.
void symmetrize(Triangle filled, std::size_t n, float* c, std::size_t ldc);
void symmetrize(Triangle filled, std::size_t n, double* c, std::size_t ldc);

// Unpacked Gram accumulation, C += YᵀY, for callers that write their row blocks into a buffer anyway
// (PCA centres each block of data on the way): SYRK would copy every block twice more into packed
// panels; this reads the block where it lies. The buffers must follow gram_rows_layout<T>(dim), which
// depends on the SIMD target chosen at run time.
struct GramRowsLayout {
  std::size_t ld;       // row stride of Y in elements: >= dim, covers whole register tiles
  std::size_t y_front;  // elements before Y's first row that are read (allocate them; any values)
  std::size_t c_rows;   // rows of C
  std::size_t ldc;      // row stride of C in elements
  std::size_t c_shift;  // Gram entry (i, j) is C's element (i + c_shift) * ldc + j
  std::size_t align;    // bytes: Y's first row must start on this boundary (ld keeps every row on it)
};
template <class T>
GramRowsLayout gram_rows_layout(std::size_t dim);

// C (layout.c_rows x layout.ldc) += YᵀY, Y being `rows` rows of layout.ld elements holding dim values
// each (row-major), preceded by layout.y_front readable elements. Only the entries (i, j) with
// j <= i < dim, stored at (i + layout.c_shift) * ldc + j, are the Gram matrix; the others are
// scratch, and so are Y's padding columns [dim, ld) and front margin: they may hold anything (keep
// them zero all the same: denormals would slow the products). One thread. Throws
// std::invalid_argument on a null or misaligned pointer.
// `next`: memory the caller reads after this call (its next block of rows), fetched into cache a
// little at a time while the product runs, so that reading it then does not wait on DRAM (a thread
// alternating reads and products otherwise streams at DRAM latency: 3.8 GB/s measured on a Zen 3
// VM). A hint: any range is safe, none is read.
struct PrefetchRange {
  const void* begin = nullptr;
  std::size_t bytes = 0;
};
void accumulate_gram_rows(const float* y, std::size_t rows, std::size_t dim, float* c, PrefetchRange next = {});
void accumulate_gram_rows(const double* y, std::size_t rows, std::size_t dim, double* c, PrefetchRange next = {});

// Streaming covariance for PCA's out-of-core mode: row blocks of an n_rows x d matrix are added as they
// are read. Keeps the count, the column means and the centred scatter matrix sum (x - mean)(x - mean)^T,
// all in double. Each block's scatter is computed around the block's own mean with SYRK and merged with
// the pairwise update of Chan, Golub & LeVeque (1979), so large column means (1e6 + unit noise) do not
// cancel catastrophically the way sum(x x^T) - n mean mean^T does.
template <class T>
class GramAccumulator {
 public:
  explicit GramAccumulator(std::size_t d);

  // rows: n_rows x d, row-major, leading dimension ld >= d. Throws std::invalid_argument on ld < d.
  void add_block(const T* rows, std::size_t n_rows, std::size_t ld);
  // Adds everything `other` has seen (the same d, else std::invalid_argument), as if its rows were added.
  void merge(const GramAccumulator& other);

  std::size_t dim() const { return d_; }
  std::size_t count() const { return count_; }
  const std::vector<double>& mean() const { return mean_; }  // d column means (zeros before any row)
  std::vector<double> scatter() const;  // d x d, full symmetric, row-major; divide by count()-1 for covariance

 private:
  // Chan et al.'s update with a part of n_b rows, mean mean_hi + mean_lo and (lower-triangle) scatter s_b.
  void merge_part(std::size_t n_b, const double* mean_hi, const double* mean_lo, const double* s_b);

  std::size_t d_;
  std::size_t count_ = 0;
  // The means as unevaluated sums mean_ + mean_lo_: with a 1e6 offset a plain double mean is off by
  // ~1e-10 after each update, which the mean differences of later merges would carry into the scatter.
  std::vector<double> mean_, mean_lo_;
  std::vector<double> scatter_lower_;  // d x d, only the lower triangle is kept up to date
};

extern template class GramAccumulator<float>;
extern template class GramAccumulator<double>;

}  // namespace csc::linalg

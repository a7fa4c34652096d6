// StreamingFit: Gram accumulation (Chan et al.'s stable merge, in linalg) plus column extremes.
#include "kernels/pca/streaming_fit.h"

#include <stdexcept>
#include <string>

#include "kernels/pca/fit.h"

namespace csc::pca {

StreamingFit::StreamingFit(std::size_t d) : gram_(d) {}

void StreamingFit::add_block(const double* rows, std::size_t n_rows, std::size_t ld) {
  if (n_rows == 0) return;
  const linalg::ColumnStats block = linalg::column_stats(n_rows, gram_.dim(), rows, ld);
  for (std::size_t j = 0; j < block.cols(); ++j)
    if (block.nonfinite[j] != 0) throw std::invalid_argument("non-finite value in column " + std::to_string(j));
  linalg::merge_column_stats(stats_, block);
  gram_.add_block(rows, n_rows, ld);
}

PcaModel StreamingFit::finish(const FitOptions& options) const {
  if (gram_.count() == 0) throw std::invalid_argument("PCA needs at least two samples");
  return fit_from_scatter(gram_.count(), gram_.mean(), gram_.scatter(), stats_.min, stats_.max, options);
}

}  // namespace csc::pca

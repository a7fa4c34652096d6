// Out-of-core PCA: one pass over row blocks accumulates what the fit needs (count, means, centred
// scatter matrix, per-column min/max), never holding the data.
#pragma once

#include <cstddef>

#include "kernels/linalg/column_stats.h"
#include "kernels/linalg/syrk.h"
#include "kernels/pca/pca_model.h"

namespace csc::pca {

class StreamingFit {
 public:
  explicit StreamingFit(std::size_t d);

  // rows: n_rows×d, row-major, leading dimension ld >= d, every value finite (std::invalid_argument
  // otherwise, naming the column).
  void add_block(const double* rows, std::size_t n_rows, std::size_t ld);

  std::size_t count() const { return gram_.count(); }
  std::size_t dim() const { return gram_.dim(); }
  // fit_from_scatter on what was added (the same preconditions).
  PcaModel finish(const FitOptions& options) const;

 private:
  linalg::GramAccumulator<double> gram_;
  linalg::ColumnStats stats_;  // min and max per column
};

}  // namespace csc::pca

// One pass of a fitted PCA over rows: scores, reconstruction errors and reconstructions, written to
// the --*-out files block by block, plus what the report and the plot need (error statistics, a
// bounded sample of the first two scores).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kernels/pca/transform.h"
#include "subcommands/pca/options.h"
#include "subcommands/pca/outputs.h"

namespace csc {

struct PassSummary {
  std::size_t rows = 0;
  double sum_errors = 0;
  double max_error = 0;
  std::size_t max_error_row = 0;  // 0-based data row
  std::vector<double> pc1, pc2;   // the plot sample's first two scores (pc2 empty when K == 1)
  std::vector<double> plot_rows;  // their 0-based row numbers
  std::vector<std::string> plot_labels;
};

// The scatter of --plot keeps at most this many points: every s-th row, s the smallest power of two
// that keeps the count within it (when the row count is unknown, s doubles whenever the sample fills).
inline constexpr std::size_t kPlotPoints = 10000;

template <class T>
class TransformPass {
 public:
  // total_rows: the rows that will pass when known (.npy outputs need it). Output files are created here.
  TransformPass(const pca::PcaModel& model, bool whiten, const PcaRowOutputs& outputs,
                std::optional<std::size_t> total_rows,
                const std::vector<std::string>& column_names, const std::string& label_name, bool with_labels,
                bool want_plot);

  // rows: n × d (leading dimension d); raw rows are preprocessed in place first unless
  // already_preprocessed. labels: one per row or empty.
  void add(T* rows, std::size_t n, bool already_preprocessed, std::span<const std::string> labels);
  // Commits the output files.
  PassSummary finish();

  const pca::Projector<T>& projector() const { return projector_; }

 private:
  void thin_plot_sample();

  pca::Projector<T> projector_;
  std::unique_ptr<RowsWriter> scores_, reconstruction_, errors_;
  bool want_plot_;
  std::size_t stride_;
  PassSummary summary_;
  std::vector<T> scores_buffer_, reconstruction_buffer_;
  std::vector<double> errors_buffer_;
};

extern template class TransformPass<float>;
extern template class TransformPass<double>;

}  // namespace csc

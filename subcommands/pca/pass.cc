// TransformPass: scores / errors / reconstructions per block, streamed to the output files.
#include "subcommands/pca/pass.h"

#include <algorithm>

#include <fmt/format.h>

namespace csc {

template <class T>
TransformPass<T>::TransformPass(const pca::PcaModel& model, bool whiten, const PcaRowOutputs& outputs,
                                std::optional<std::size_t> total_rows, const std::vector<std::string>& column_names,
                                const std::string& label_name, bool with_labels, bool want_plot)
    : projector_(model, whiten), want_plot_(want_plot), stride_(1) {
  while (total_rows && *total_rows > kPlotPoints * stride_) stride_ *= 2;
  const bool float32 = sizeof(T) == 4;
  std::vector<std::string> pc_names;
  for (std::size_t c = 0; c < model.n_components; ++c) pc_names.push_back(fmt::format("PC{}", c + 1));
  if (!outputs.scores_out.empty())
    scores_ = std::make_unique<RowsWriter>(outputs.scores_out, total_rows, pc_names, label_name, with_labels, float32,
                                           outputs.force);
  if (!outputs.reconstruct_out.empty())
    reconstruction_ = std::make_unique<RowsWriter>(outputs.reconstruct_out, total_rows, column_names, label_name,
                                                   with_labels, float32, outputs.force);
  if (!outputs.errors_out.empty())
    errors_ = std::make_unique<RowsWriter>(outputs.errors_out, total_rows,
                                           std::vector<std::string>{"reconstruction_error"}, label_name, with_labels,
                                           false, outputs.force);
}

template <class T>
void TransformPass<T>::add(T* rows, std::size_t n, bool already_preprocessed, std::span<const std::string> labels) {
  const std::size_t d = projector_.n_features(), k = projector_.n_components();
  scores_buffer_.resize(n * k);
  errors_buffer_.resize(n);
  if (reconstruction_) reconstruction_buffer_.resize(n * d);
  projector_.transform(rows, n, d, already_preprocessed, scores_buffer_.data(), errors_buffer_.data(),
                       reconstruction_ ? reconstruction_buffer_.data() : nullptr);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t row = summary_.rows + i;
    summary_.sum_errors += errors_buffer_[i];
    if (errors_buffer_[i] > summary_.max_error || row == 0) {
      summary_.max_error = errors_buffer_[i];
      summary_.max_error_row = row;
    }
    if (want_plot_ && row % stride_ == 0) {
      if (summary_.pc1.size() == kPlotPoints) thin_plot_sample();
      if (row % stride_ == 0) {
        summary_.pc1.push_back(static_cast<double>(scores_buffer_[i * k]));
        summary_.plot_rows.push_back(static_cast<double>(row));
        if (k > 1) summary_.pc2.push_back(static_cast<double>(scores_buffer_[i * k + 1]));
        if (!labels.empty()) summary_.plot_labels.push_back(labels[i]);
      }
    }
  }
  if (scores_) scores_->write(scores_buffer_.data(), n, labels);
  if (reconstruction_) reconstruction_->write(reconstruction_buffer_.data(), n, labels);
  if (errors_) errors_->write(errors_buffer_.data(), n, labels);
  summary_.rows += n;
}

template <class T>
void TransformPass<T>::thin_plot_sample() {
  // Kept rows are the multiples of stride_ from row 0; every other one is a multiple of 2 * stride_.
  auto keep_even = [](auto& values) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < values.size(); i += 2) values[out++] = std::move(values[i]);
    values.resize(out);
  };
  keep_even(summary_.pc1);
  keep_even(summary_.plot_rows);
  keep_even(summary_.pc2);
  keep_even(summary_.plot_labels);
  stride_ *= 2;
}

template <class T>
PassSummary TransformPass<T>::finish() {
  for (auto* writer : {scores_.get(), reconstruction_.get(), errors_.get()})
    if (writer) writer->commit();
  return std::move(summary_);
}

template class TransformPass<float>;
template class TransformPass<double>;

}  // namespace csc

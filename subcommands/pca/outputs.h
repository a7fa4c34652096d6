// csc pca's files: matrices written block by block (--scores-out, --reconstruct-out, --errors-out,
// --components-out), the fitted model (--model-out / --model-in) and the --plot figure.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "kernels/pca/pca_model.h"
#include "src/output_file.h"

namespace csc {

// A rows × cols matrix file filled in blocks of rows: CSV/TSV by extension (a header row of column
// names, the labels as a first column when there are any) or .npy (its header written up front, so
// the row count must be known: csc::Error usage otherwise). Nothing appears under `path` until commit().
class RowsWriter {
 public:
  RowsWriter(const std::string& path, std::optional<std::size_t> rows, std::vector<std::string> column_names,
             std::string label_name, bool with_labels, bool float32, bool force);

  void write(const double* values, std::size_t rows, std::span<const std::string> labels);
  void write(const float* values, std::size_t rows, std::span<const std::string> labels);
  // Throws std::logic_error when a known row count was not met.
  void commit();

 private:
  template <class T>
  void write_rows(const T* values, std::size_t rows, std::span<const std::string> labels);

  io::OutputFile file_;
  io::OutputFormat format_;
  std::optional<std::size_t> rows_;
  std::size_t cols_, written_ = 0;
  std::vector<std::string> column_names_;
  std::string label_name_;
  bool with_labels_;
  bool float32_;
};

// A fitted model as --model-out writes it and --model-in reads it back (JSON, documented in csc-pca(1)).
struct SavedPcaModel {
  pca::PcaModel model;
  bool scale = false;
  bool whiten = false;
  std::string dtype = "float64";
  std::vector<std::string> column_names;
};

void write_model_file(const std::string& path, const SavedPcaModel& saved, bool force);
// Throws csc::Error (bad_input) naming the file and the key when it is not a csc PCA model.
SavedPcaModel read_model_file(const std::string& path);

// The --plot figure: scree (explained variance ratio per component and its cumulative curve, with the
// --variance target when one was given) beside the first two scores scattered, coloured by label.
// pc2 may be empty (K = 1: the scores are drawn against their row numbers, `rows`).
std::string render_pca_plot(const pca::PcaModel& model, std::span<const double> pc1, std::span<const double> pc2,
                            std::span<const double> rows, std::span<const std::string> labels, const std::string& title,
                            std::optional<double> variance_target);

// Writes text to path through the no-overwrite writer.
void write_text_file(const std::string& path, const std::string& text, bool force);

}  // namespace csc

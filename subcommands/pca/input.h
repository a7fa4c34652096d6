// csc pca's input: the file (CSV/TSV/.npy, or the embedded digits when none is given) read whole into
// a typed matrix, or streamed in blocks when it is larger than --memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernels/platform/bulk_allocator.h"
#include "src/numeric_table.h"

namespace csc {

struct PcaInputSpec {
  std::string path;  // empty: the embedded digits
  io::TableFormat format = io::TableFormat::automatic;
  io::HeaderMode header = io::HeaderMode::automatic;
  std::string columns;  // --columns
  std::string label;    // --label
  bool embedded() const { return path.empty(); }
  // What messages and the report call the input.
  std::string display() const;
  // The table options for the readers (for the embedded digits: the label column "label" unless
  // --label says otherwise).
  io::TableOptions table_options() const;
};

// The matrix of one run, in float64 or float32, with what the report and the outputs need.
struct PcaData {
  std::size_t rows = 0, cols = 0;
  // rows × cols, f64 when !float32, else f32 (huge pages, not zero-filled: see bulk_allocator.h)
  platform::BulkVector<double> f64;
  platform::BulkVector<float> f32;
  bool float32 = false;
  std::vector<std::string> column_names;
  std::vector<std::string> labels;  // one per row, or empty
  std::string label_name;
  std::string format;  // "csv", "tsv", "npy"
};

// Reads everything. float32: the matrix is converted to float (the double copy is freed). Throws
// csc::Error (bad_input with file:line:column, or runtime_failure for I/O).
PcaData load_pca_data(const PcaInputSpec& spec, bool float32);

// True when the input is a .npy file of float32 (scikit-learn would keep float32 then).
bool input_is_float32_npy(const PcaInputSpec& spec);

// The bytes the table would take in memory as float64: exact for .npy (rows × cols × 8), the file size
// for CSV/TSV (a number's text is about as long as its 8 bytes). nullopt for stdin and the embedded data.
std::optional<std::uint64_t> estimated_table_bytes(const PcaInputSpec& spec);

}  // namespace csc

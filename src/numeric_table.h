// Numeric tables from CSV/TSV or .npy: a whole-file reader and a streaming block reader with the same
// validation (ragged rows, empty or non-numeric cells, NaN/Inf, unknown columns are errors located
// at file:line:column), column selection by name or index, and an optional text label column.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernels/platform/bulk_allocator.h"

namespace csc::io {

enum class TableFormat { automatic, csv, tsv, npy };

// "auto", "csv", "tsv" or "npy"; anything else is a usage error.
TableFormat parse_table_format(std::string_view text);
std::string_view table_format_name(TableFormat format);
// `requested` unless automatic; then by extension: .npy, .tsv/.tab, anything else (and "-") CSV.
TableFormat resolve_table_format(std::string_view path, TableFormat requested);

// automatic: line 1 is a header when every cell in it is non-empty and none is a number.
enum class HeaderMode { automatic, present, absent };
// "auto", "yes" or "no"; anything else is a usage error.
HeaderMode parse_header_mode(std::string_view text);

struct TableOptions {
  TableFormat format = TableFormat::automatic;
  HeaderMode header = HeaderMode::automatic;  // CSV/TSV only
  // Comma-separated column names or 0-based indices, e.g. "a,b,3"; a token that equals a column
  // name is that name, otherwise digits are an index. Empty: every column except the label column.
  std::string columns;
  // One column kept aside as text, e.g. class labels for colouring plots (a name or index). For
  // .npy its numbers become the text.
  std::string label_column;
};

// A table's numbers: huge pages for large tables and no zero-fill (kernels/platform/bulk_allocator.h),
// so that csc pca can work on them in place without a copy.
using NumericValues = platform::BulkVector<double>;

struct NumericTable {
  NumericValues values;                      // rows x cols, row-major
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<std::string> column_names;     // header names; without a header the file column index ("0", "1", ...)
  std::vector<std::size_t> source_columns;   // the 0-based file column of each selected column
  std::vector<std::string> labels;           // one per row when a label column was chosen
  std::string label_name;
  std::string source;                        // the path, or "<stdin>"
  TableFormat format = TableFormat::csv;     // the format that was read (never automatic)
  bool has_header = false;

  double operator()(std::size_t row, std::size_t col) const { return values[row * cols + col]; }
};

// Reads a whole table; `path` "-" is stdin. Throws csc::Error: bad_input for bad data, located as
// "file:line:column: what, what to do"; runtime_failure when the file cannot be read.
NumericTable read_numeric_table(const std::string& path, const TableOptions& options = {});
// The same from a stream (not owned); `name` is used in messages and, for TableFormat::automatic,
// to choose the format by extension.
NumericTable read_numeric_table(std::istream& in, const std::string& name, const TableOptions& options = {});

// Streams a table in blocks of rows without holding the file: each block is validated exactly as
// read_numeric_table validates the whole file. The header (and, for CSV, the first data row) is read
// by the constructor, so a bad header, an empty file or an unknown column fails before any work.
class NumericBlockReader {
 public:
  explicit NumericBlockReader(const std::string& path, const TableOptions& options = {});
  NumericBlockReader(std::istream& in, const std::string& name, const TableOptions& options = {});
  ~NumericBlockReader();
  NumericBlockReader(NumericBlockReader&&) noexcept;
  NumericBlockReader& operator=(NumericBlockReader&&) noexcept;

  // Replaces `values` with the next up to `max_rows` (> 0) rows, row-major with cols() columns, and
  // `labels` (when given and a label column was chosen) with their labels. Returns the number of
  // rows, 0 at the end of the data.
  std::size_t next_block(std::size_t max_rows, NumericValues& values, std::vector<std::string>* labels = nullptr);

  std::size_t cols() const;
  const std::vector<std::string>& column_names() const;
  const std::vector<std::size_t>& source_columns() const;
  bool has_labels() const;
  const std::string& label_name() const;
  bool has_header() const;
  TableFormat format() const;
  const std::string& source() const;
  // Known before reading for .npy; for CSV only once the end is reached.
  std::optional<std::uint64_t> total_rows() const;
  std::uint64_t rows_read() const;

  class Backend;

 private:
  std::unique_ptr<Backend> backend_;
};

}  // namespace csc::io

// Numeric tables: the CSV and .npy back ends of NumericBlockReader (whole-file reads are one big block).
#include "src/numeric_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "src/byte_source.h"
#include "src/csv_reader.h"
#include "src/error.h"
#include "src/npy.h"

namespace csc::io {

class NumericBlockReader::Backend {
 public:
  virtual ~Backend() = default;
  // Appends up to max_rows rows (and labels when asked); returns how many.
  virtual std::size_t append_rows(std::size_t max_rows, NumericValues& values, std::vector<std::string>* labels) = 0;

  std::string source;
  TableFormat format = TableFormat::csv;
  bool has_header = false;
  std::vector<std::string> header_names;  // the header row's names; empty: columns are called by index
  std::vector<std::size_t> selected;      // file columns, in output order
  // Names of the selected columns, made on first use: a .npy header may promise millions of columns
  // that a truncated file never delivers, and naming them all up front would be the slowest step.
  mutable std::optional<std::vector<std::string>> selected_names;
  std::optional<std::size_t> label;   // file column of the labels
  std::string label_name;
  std::optional<std::uint64_t> total_rows;
  std::uint64_t rows_read = 0;
};

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A cell as it may be shown in a message: at most 40 bytes, control bytes and broken UTF-8 escaped.
std::string shown(std::string_view text) {
  std::string out;
  const bool cut = text.size() > 40;
  text = text.substr(0, 40);
  const bool utf8 = find_invalid_utf8(text) == std::string_view::npos;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F || (byte >= 0x80 && !utf8)) out += fmt::format("\\x{:02x}", byte);
    else out += c;
  }
  return cut ? out + "..." : out;
}

// A file's column names: its header row's, or (header empty) the 0-based indices as text.
struct ColumnNames {
  const std::vector<std::string>& header;
  std::size_t count;

  std::string operator[](std::size_t i) const { return header.empty() ? std::to_string(i) : header[i]; }

  std::string listed() const {
    if (header.empty()) return fmt::format("0 to {}", count - 1);
    constexpr std::size_t kShown = 12;
    std::string out;
    for (std::size_t i = 0; i < count && i < kShown; ++i) out += fmt::format("{}\"{}\"", i ? ", " : "", shown(header[i]));
    if (count > kShown) out += fmt::format(", ... ({} more)", count - kShown);
    return out;
  }
};

enum class CellStatus { ok, empty, not_number, not_finite, overflow };

// The numeric path: no allocation, std::from_chars straight from the reader's buffer.
CellStatus parse_cell(std::string_view cell, double& value) {
  const char* begin = cell.data();
  const char* end = begin + cell.size();
  while (begin < end && (*begin == ' ' || *begin == '\t')) ++begin;
  while (end > begin && (end[-1] == ' ' || end[-1] == '\t')) --end;
  if (begin == end) return CellStatus::empty;
  if (*begin == '+' && end - begin > 1 && (begin[1] == '.' || (begin[1] >= '0' && begin[1] <= '9'))) ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ptr != end) return CellStatus::not_number;
  if (ec == std::errc()) return std::isfinite(value) ? CellStatus::ok : CellStatus::not_finite;
  if (ec != std::errc::result_out_of_range) return CellStatus::not_number;
  // from_chars reports underflow and overflow alike; strtod tells them apart (underflow rounds to 0).
  const std::string copy(begin, end);
  value = std::strtod(copy.c_str(), nullptr);
  return std::isfinite(value) ? CellStatus::ok : CellStatus::overflow;
}

// Resolves the column list and the label column against the file's column names.
void select_columns(NumericBlockReader::Backend& backend, std::size_t column_count, const TableOptions& options,
                    const std::string& where) {
  const ColumnNames names{backend.header_names, column_count};
  const auto find = [&](std::string_view token) -> std::size_t {
    std::size_t found = column_count, matches = 0;
    for (std::size_t i = 0; i < names.header.size(); ++i) {
      if (names.header[i] == token) {
        if (matches++ == 0) found = i;
      }
    }
    if (matches > 1)
      throw input_error(where, fmt::format("{} columns are named \"{}\", select one of them by its 0-based index",
                                           matches, shown(token)));
    if (matches == 1) return found;
    const bool digits = !token.empty() && std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (digits) {
      std::size_t index = 0;
      const auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
      if (ec == std::errc() && index < column_count) return index;
      throw input_error(where, fmt::format("column index {} is out of range, the file has {} columns (0 to {})",
                                           shown(token), column_count, column_count - 1));
    }
    throw input_error(where, fmt::format("no column is named \"{}\", the columns are {}", shown(token), names.listed()));
  };

  if (!trim(options.label_column).empty()) {
    backend.label = find(trim(options.label_column));
    backend.label_name = names[*backend.label];
  }
  if (trim(options.columns).empty()) {
    backend.selected.reserve(column_count);
    for (std::size_t i = 0; i < column_count; ++i)
      if (i != backend.label) backend.selected.push_back(i);
  } else {
    std::string_view list = options.columns;
    for (;;) {
      const std::size_t comma = list.find(',');
      const std::string_view token = trim(list.substr(0, comma));
      if (token.empty())
        throw usage_error(fmt::format("the column list \"{}\" has an empty entry, separate names or indices by single "
                                      "commas",
                                      shown(options.columns)));
      const std::size_t index = find(token);
      if (std::find(backend.selected.begin(), backend.selected.end(), index) != backend.selected.end())
        throw usage_error(fmt::format("column \"{}\" is selected twice, list each column once", shown(names[index])));
      if (backend.label == index)
        throw usage_error(fmt::format("column \"{}\" is both the label column and a data column, choose one",
                                      shown(names[index])));
      backend.selected.push_back(index);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  if (backend.selected.empty())
    throw input_error(where, fmt::format("no numeric columns are left once the label column \"{}\" is set aside",
                                         shown(backend.label_name)));
}

class CsvBackend final : public NumericBlockReader::Backend {
 public:
  CsvBackend(std::unique_ptr<CsvReader> reader, const TableOptions& options) : reader_(std::move(reader)) {
    source = reader_->name();
    format = reader_->separator() == '\t' ? TableFormat::tsv : TableFormat::csv;
    if (!next_nonblank())
      throw input_error(source, "the file is empty (no rows), give a file with rows of numbers");
    first_line_ = reader_->record_line();
    expected_fields_ = reader_->fields().size();
    header_mode_ = options.header;
    has_header = options.header == HeaderMode::present ||
                 (options.header == HeaderMode::automatic && looks_like_header(reader_->fields()));
    if (has_header) {
      for (std::size_t i = 0; i < expected_fields_; ++i) header_names.emplace_back(trim(reader_->text(i)));
      const std::string header_where = reader_->where_record();
      if (!next_nonblank())
        throw input_error(header_where, "the file has a header row but no data rows, add rows of numbers");
      select_columns(*this, expected_fields_, options, header_where);
    } else {
      select_columns(*this, expected_fields_, options, source);
    }
    pending_ = true;  // the first data row is already in the reader
  }

  std::size_t append_rows(std::size_t max_rows, NumericValues& values, std::vector<std::string>* labels) override {
    const std::size_t cols = selected.size();
    std::size_t rows = 0;
    while (rows < max_rows) {
      if (!pending_ && !reader_->next_record()) {
        total_rows = rows_read + rows;
        break;
      }
      pending_ = false;
      if (reader_->blank_record()) {
        if (!blank_line_) blank_line_ = reader_->record_line();
        continue;  // fine at the end of the file; an error if a row follows
      }
      if (blank_line_)
        throw input_error(fmt::format("{}:{}:1", source, *blank_line_),
                          "an empty line between rows of data, remove it (or fill in the missing values)");
      const std::vector<CsvField>& fields = reader_->fields();
      if (fields.size() != expected_fields_)
        throw input_error(reader_->where_record(),
                          fmt::format("this row has {} fields but {} (line {}) has {}, give every row the same number "
                                      "of fields",
                                      fields.size(), has_header ? "the header" : "the first row", first_line_,
                                      expected_fields_));
      const std::size_t at = values.size();
      values.resize(at + cols);
      double* out = values.data() + at;
      for (std::size_t c = 0; c < cols; ++c) {
        const std::size_t index = selected[c];
        const CellStatus status = parse_cell(fields[index].text, out[c]);
        if (status != CellStatus::ok) cell_error(status, index, c);
      }
      if (label) {
        std::string_view text = reader_->text(*label);
        if (labels != nullptr) labels->emplace_back(text);
      }
      ++rows;
    }
    rows_read += rows;
    return rows;
  }

 private:
  bool next_nonblank() {
    while (reader_->next_record())
      if (!reader_->blank_record()) return true;
    return false;
  }

  static bool looks_like_header(const std::vector<CsvField>& fields) {
    return std::all_of(fields.begin(), fields.end(), [](const CsvField& field) {
      double value;
      const CellStatus status = parse_cell(field.text, value);
      return status == CellStatus::not_number;
    });
  }

  [[noreturn]] void cell_error(CellStatus status, std::size_t index, std::size_t output_column) const {
    const CsvField& field = reader_->fields()[index];
    const std::string column = has_header ? fmt::format("column \"{}\", index {}", shown(header_names[selected[output_column]]), index)
                                          : fmt::format("column index {}", index);
    std::string what;
    switch (status) {
      case CellStatus::empty:
        what = fmt::format("empty cell ({}), fill it in or remove the row", column);
        break;
      case CellStatus::not_finite:
        what = fmt::format("\"{}\" is not a finite number ({}); missing values are not skipped, remove or impute "
                           "the row",
                           shown(trim(field.text)), column);
        break;
      case CellStatus::overflow:
        what = fmt::format("\"{}\" is too large for a double ({}), rescale the column", shown(trim(field.text)), column);
        break;
      default:
        what = fmt::format("\"{}\" is not a number ({}), fix the cell or select only numeric columns",
                           shown(trim(field.text)), column);
        if (header_mode_ == HeaderMode::automatic && !has_header && field.line == first_line_)
          what += fmt::format("; line {} was read as data because some of its cells are numbers, a header row "
                              "needs every name non-numeric",
                              first_line_);
    }
    throw input_error(reader_->where(field), what);
  }

  std::unique_ptr<CsvReader> reader_;
  HeaderMode header_mode_ = HeaderMode::automatic;
  std::size_t expected_fields_ = 0;
  std::int64_t first_line_ = 1;
  std::optional<std::int64_t> blank_line_;
  bool pending_ = false;
};

class NpyBackend final : public NumericBlockReader::Backend {
 public:
  static constexpr std::uint64_t kMaxColumns = std::uint64_t{1} << 24;

  NpyBackend(std::unique_ptr<ByteSource> input, const TableOptions& options)
      : input_(std::move(input)), header_(read_npy_header(*input_)) {
    source = input_->name();
    format = TableFormat::npy;
    const std::string shape = header_.shape.size() == 1 ? fmt::format("({},)", header_.shape[0])
                                                        : fmt::format("({}, {})", header_.shape[0], header_.shape[1]);
    if (header_.rows() == 0) throw input_error(source, fmt::format("the array has no rows (shape {}), give a file with data", shape));
    if (header_.cols() == 0) throw input_error(source, fmt::format("the array has no columns (shape {}), give a file with data", shape));
    if (header_.cols() > kMaxColumns)
      throw input_error(source, fmt::format("the array has {} columns (shape {}), more than the {} csc reads; store "
                                            "observations as rows",
                                            header_.cols(), shape, kMaxColumns));
    if (const auto size = input_->size()) {
      const std::uint64_t data_bytes = *size - header_.data_offset;
      if (data_bytes > header_.data_bytes()) throw trailing_error(data_bytes - header_.data_bytes());
      if (data_bytes < header_.data_bytes()) throw truncated_error(data_bytes);
    }
    select_columns(*this, static_cast<std::size_t>(header_.cols()), options, source);
    total_rows = header_.rows();
    all_columns_ = !label && selected.size() == header_.cols();
    for (std::size_t i = 0; all_columns_ && i < selected.size(); ++i) all_columns_ = selected[i] == i;
  }

  std::size_t append_rows(std::size_t max_rows, NumericValues& values, std::vector<std::string>* labels) override {
    const std::size_t item = npy_item_size(header_.dtype);
    const std::size_t file_cols = static_cast<std::size_t>(header_.cols());
    const std::size_t row_bytes = file_cols * item;
    std::size_t rows = 0;
    while (rows < max_rows && rows_read + rows < header_.rows()) {
      // Raw reads start at 1 MiB and double to 64 MiB: bounded memory however large the block, and a
      // stream whose header lies about the shape fails before anything big is allocated.
      const std::size_t chunk_rows = std::max<std::size_t>(1, chunk_bytes_ / row_bytes);
      chunk_bytes_ = std::min(chunk_bytes_ * 2, std::size_t{64} << 20);
      const std::size_t n = static_cast<std::size_t>(
          std::min<std::uint64_t>({max_rows - rows, chunk_rows, header_.rows() - rows_read - rows}));
      read_raw(n * row_bytes);
      const std::size_t at = values.size();
      values.resize(at + n * selected.size());
      double* out = values.data() + at;
      if (all_columns_) {
        npy_to_double(header_.dtype, raw_.data(), n * file_cols, out);
      } else {
        for (std::size_t r = 0; r < n; ++r)
          for (std::size_t c = 0; c < selected.size(); ++c)
            npy_to_double(header_.dtype, raw_.data() + r * row_bytes + selected[c] * item, 1,
                          out + r * selected.size() + c);
      }
      if (header_.dtype == NpyDtype::float32 || header_.dtype == NpyDtype::float64) check_finite(out, n, rows_read + rows);
      if (label && labels != nullptr) {
        for (std::size_t r = 0; r < n; ++r) {
          double value;
          npy_to_double(header_.dtype, raw_.data() + r * row_bytes + *label * item, 1, &value);
          // Shortest text of the stored value: "0.1" for a float32 0.1, not its double expansion.
          labels->push_back(header_.dtype == NpyDtype::float32 ? fmt::format("{}", static_cast<float>(value))
                                                               : fmt::format("{}", value));
        }
      }
      rows += n;
    }
    rows_read += rows;
    if (rows_read == header_.rows() && !end_checked_) {
      end_checked_ = true;
      char extra[4096];
      std::uint64_t trailing = 0;
      for (std::size_t got; (got = input_->read(extra, sizeof extra)) > 0;) trailing += got;
      if (trailing > 0) throw trailing_error(trailing);
    }
    return rows;
  }

 private:
  // Fills raw_ with `bytes` bytes, growing it only as data arrives (a stream's header may lie).
  void read_raw(std::size_t bytes) {
    std::size_t have = 0;
    raw_.clear();
    while (have < bytes) {
      const std::size_t next = std::min(bytes, have + std::max<std::size_t>(have, std::size_t{1} << 20));
      raw_.resize(next);
      have += input_->read(reinterpret_cast<char*>(raw_.data()) + have, next - have);
      if (have < next) throw truncated_error(input_->position() - header_.data_offset);
    }
  }

  Error truncated_error(std::uint64_t data_bytes) const {
    return input_error(source, fmt::format("truncated .npy file: the header promises {} {} values ({} bytes) but only "
                                           "{} bytes of data follow, rewrite the file",
                                           header_.element_count(), npy_descr(header_.dtype), header_.data_bytes(),
                                           data_bytes));
  }

  Error trailing_error(std::uint64_t bytes) const {
    return input_error(source, fmt::format("{} bytes follow the data the header describes, the file is damaged or not "
                                           "a single .npy array",
                                           bytes));
  }

  void check_finite(const double* out, std::size_t n, std::uint64_t first_row) const {
    const std::size_t cols = selected.size();
    for (std::size_t i = 0; i < n * cols; ++i) {
      if (!std::isfinite(out[i]))
        throw input_error(source, fmt::format("element [{}, {}] (0-based row, column) is {}; missing values are not "
                                              "skipped, remove or impute the row",
                                              first_row + i / cols, selected[i % cols],
                                              std::isnan(out[i]) ? "NaN" : "infinite"));
    }
  }

  std::unique_ptr<ByteSource> input_;
  NpyHeader header_;
  std::vector<unsigned char> raw_;
  std::size_t chunk_bytes_ = std::size_t{1} << 20;
  bool all_columns_ = false;
  bool end_checked_ = false;
};

std::unique_ptr<NumericBlockReader::Backend> make_backend(std::unique_ptr<ByteSource> npy_input,
                                                          std::unique_ptr<CsvReader> csv_input,
                                                          const TableOptions& options) {
  if (npy_input) return std::make_unique<NpyBackend>(std::move(npy_input), options);
  return std::make_unique<CsvBackend>(std::move(csv_input), options);
}

}  // namespace

TableFormat parse_table_format(std::string_view text) {
  if (text == "auto") return TableFormat::automatic;
  if (text == "csv") return TableFormat::csv;
  if (text == "tsv") return TableFormat::tsv;
  if (text == "npy") return TableFormat::npy;
  throw usage_error(fmt::format("unknown format \"{}\", use auto, csv, tsv or npy", shown(text)));
}

std::string_view table_format_name(TableFormat format) {
  switch (format) {
    case TableFormat::automatic: return "auto";
    case TableFormat::csv: return "csv";
    case TableFormat::tsv: return "tsv";
    case TableFormat::npy: return "npy";
  }
  return "auto";
}

TableFormat resolve_table_format(std::string_view path, TableFormat requested) {
  if (requested != TableFormat::automatic) return requested;
  if (path.size() >= 4) {
    std::string extension(path.substr(path.size() - 4));
    for (char& c : extension) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (extension == ".npy") return TableFormat::npy;
    if (extension == ".tsv" || extension == ".tab") return TableFormat::tsv;
  }
  return TableFormat::csv;
}

HeaderMode parse_header_mode(std::string_view text) {
  if (text == "auto") return HeaderMode::automatic;
  if (text == "yes") return HeaderMode::present;
  if (text == "no") return HeaderMode::absent;
  throw usage_error(fmt::format("unknown header mode \"{}\", use auto, yes or no", shown(text)));
}

NumericBlockReader::NumericBlockReader(const std::string& path, const TableOptions& options) {
  const TableFormat format = resolve_table_format(path, options.format);
  if (format == TableFormat::npy)
    backend_ = make_backend(std::make_unique<ByteSource>(path), nullptr, options);
  else
    backend_ = make_backend(nullptr, std::make_unique<CsvReader>(path, format == TableFormat::tsv ? '\t' : ','), options);
}

NumericBlockReader::NumericBlockReader(std::istream& in, const std::string& name, const TableOptions& options) {
  const TableFormat format = resolve_table_format(name, options.format);
  if (format == TableFormat::npy)
    backend_ = make_backend(std::make_unique<ByteSource>(in, name), nullptr, options);
  else
    backend_ = make_backend(nullptr, std::make_unique<CsvReader>(in, name, format == TableFormat::tsv ? '\t' : ','),
                            options);
}

NumericBlockReader::~NumericBlockReader() = default;
NumericBlockReader::NumericBlockReader(NumericBlockReader&&) noexcept = default;
NumericBlockReader& NumericBlockReader::operator=(NumericBlockReader&&) noexcept = default;

std::size_t NumericBlockReader::next_block(std::size_t max_rows, NumericValues& values,
                                           std::vector<std::string>* labels) {
  if (max_rows == 0) throw std::invalid_argument("NumericBlockReader::next_block: max_rows must be positive");
  values.clear();
  if (labels != nullptr) labels->clear();
  return backend_->append_rows(max_rows, values, labels);
}

std::size_t NumericBlockReader::cols() const { return backend_->selected.size(); }
const std::vector<std::string>& NumericBlockReader::column_names() const {
  if (!backend_->selected_names) {
    const ColumnNames names{backend_->header_names, 0};
    auto& out = backend_->selected_names.emplace();
    out.reserve(backend_->selected.size());
    for (const std::size_t index : backend_->selected) out.push_back(names[index]);
  }
  return *backend_->selected_names;
}
const std::vector<std::size_t>& NumericBlockReader::source_columns() const { return backend_->selected; }
bool NumericBlockReader::has_labels() const { return backend_->label.has_value(); }
const std::string& NumericBlockReader::label_name() const { return backend_->label_name; }
bool NumericBlockReader::has_header() const { return backend_->has_header; }
TableFormat NumericBlockReader::format() const { return backend_->format; }
const std::string& NumericBlockReader::source() const { return backend_->source; }
std::optional<std::uint64_t> NumericBlockReader::total_rows() const { return backend_->total_rows; }
std::uint64_t NumericBlockReader::rows_read() const { return backend_->rows_read; }

namespace {

NumericTable read_all(NumericBlockReader& reader) {
  NumericTable table;
  table.cols = reader.cols();
  table.column_names = reader.column_names();
  table.source_columns = reader.source_columns();
  table.label_name = reader.label_name();
  table.source = reader.source();
  table.format = reader.format();
  table.has_header = reader.has_header();
  std::vector<std::string>* labels = reader.has_labels() ? &table.labels : nullptr;
  table.rows = reader.next_block(SIZE_MAX, table.values, labels);  // one block reads to the end
  return table;
}

}  // namespace

NumericTable read_numeric_table(const std::string& path, const TableOptions& options) {
  NumericBlockReader reader(path, options);
  return read_all(reader);
}

NumericTable read_numeric_table(std::istream& in, const std::string& name, const TableOptions& options) {
  NumericBlockReader reader(in, name, options);
  return read_all(reader);
}

}  // namespace csc::io

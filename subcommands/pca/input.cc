// Loading csc pca's input: embedded digits, CSV/TSV through the shared table reader, .npy directly.
#include "subcommands/pca/input.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <type_traits>

#include <fmt/format.h>

#include "kernels/pca/embedded_digits.h"
#include "src/byte_source.h"
#include "src/error.h"
#include "src/npy.h"

namespace csc {

std::string PcaInputSpec::display() const { return embedded() ? "(embedded digits)" : io::display_name(path); }

io::TableOptions PcaInputSpec::table_options() const {
  io::TableOptions options;
  options.format = embedded() ? io::TableFormat::csv : format;
  options.header = header;
  options.columns = columns;
  options.label_column = embedded() && label.empty() ? "label" : label;
  return options;
}

namespace {

bool is_npy(const PcaInputSpec& spec) {
  return !spec.embedded() && spec.path != "-" &&
         io::resolve_table_format(spec.path, spec.format) == io::TableFormat::npy;
}

std::optional<io::NpyHeader> npy_header(const PcaInputSpec& spec) {
  if (!is_npy(spec)) return std::nullopt;
  io::ByteSource source(spec.path);
  return io::read_npy_header(source);
}

template <class T>
platform::BulkVector<T> to_bulk(const std::vector<T>& values) {
  return platform::BulkVector<T>(values.begin(), values.end());
}

PcaData from_table(io::NumericTable&& table, bool float32) {
  PcaData data;
  data.rows = table.rows;
  data.cols = table.cols;
  data.float32 = float32;
  data.column_names = std::move(table.column_names);
  data.labels = std::move(table.labels);
  data.label_name = std::move(table.label_name);
  data.format = std::string(io::table_format_name(table.format));
  if (float32) {
    data.f32.assign(table.values.begin(), table.values.end());
    io::NumericValues().swap(table.values);
  } else {
    data.f64 = std::move(table.values);
  }
  return data;
}

// Whether any of x[0..n) is NaN or infinite: all exponent bits set. Branch-free over the block, so the
// compiler vectorises it (a loop that stops at the first bad value does not vectorise).
template <class T>
bool any_nonfinite(const T* x, std::size_t n) {
  using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  constexpr Bits kExponent = static_cast<Bits>(sizeof(T) == 4 ? 0x7f800000ull : 0x7ff0000000000000ull);
  Bits bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    Bits bits;
    std::memcpy(&bits, x + i, sizeof bits);
    bad |= (bits & kExponent) == kExponent;
  }
  return bad != 0;
}

// The table reader rejects NaN/Inf cells itself; raw .npy data is checked here, with the same message.
template <class T>
void reject_nonfinite(const platform::BulkVector<T>& values, std::size_t cols, const PcaInputSpec& spec) {
  constexpr std::size_t kBlock = 4096;
  for (std::size_t begin = 0; begin < values.size(); begin += kBlock) {
    const std::size_t end = std::min(values.size(), begin + kBlock);
    if (!any_nonfinite(values.data() + begin, end - begin)) continue;
    for (std::size_t i = begin; i < end; ++i)
      if (!std::isfinite(values[i]))
        throw input_error(spec.display(), fmt::format("row {}, column {}: {} value; PCA needs finite numbers, remove "
                                                      "or impute the row first",
                                                      i / cols, i % cols, std::isnan(values[i]) ? "NaN" : "infinite"));
  }
}

void reject_nonfinite(const PcaData& data, const PcaInputSpec& spec) {
  if (data.float32)
    reject_nonfinite(data.f32, data.cols, spec);
  else
    reject_nonfinite(data.f64, data.cols, spec);
}

}  // namespace

bool input_is_float32_npy(const PcaInputSpec& spec) {
  const auto header = npy_header(spec);
  return header && header->dtype == io::NpyDtype::float32;
}

std::optional<std::uint64_t> estimated_table_bytes(const PcaInputSpec& spec) {
  if (spec.embedded() || spec.path == "-") return std::nullopt;
  if (const auto header = npy_header(spec)) return header->element_count() * 8;
  struct stat st {};
  if (::stat(spec.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

PcaData load_pca_data(const PcaInputSpec& spec, bool float32) {
  if (spec.embedded()) {
    std::istringstream in{std::string(pca::embedded_digits_csv())};
    return from_table(io::read_numeric_table(in, "digits.csv", spec.table_options()), float32);
  }
  // A whole .npy without column selection or labels: straight from its bytes to the wanted type (read
  // in place when the file already holds that type: one buffer, no conversion).
  if (is_npy(spec) && spec.columns.empty() && spec.label.empty()) {
    PcaData data;
    data.float32 = float32;
    data.format = "npy";
    io::ByteSource source(spec.path);
    const io::NpyHeader header = io::read_npy_header(source);
    const io::NpyDtype wanted = float32 ? io::NpyDtype::float32 : io::NpyDtype::float64;
    data.rows = header.rows();
    data.cols = header.cols();
    if (header.dtype == wanted) {
      const std::size_t bytes = header.data_bytes();
      char* target = nullptr;
      if (float32) {
        data.f32.resize(header.element_count());
        target = reinterpret_cast<char*>(data.f32.data());
      } else {
        data.f64.resize(header.element_count());
        target = reinterpret_cast<char*>(data.f64.data());
      }
      if (source.read(target, bytes) != bytes)
        throw input_error(spec.display(), "the file ends before the data the header announces; check the file");
      char extra;
      if (source.read(&extra, 1) != 0)
        throw input_error(spec.display(), "bytes after the data the header announces; check the file");
    } else {
      io::NpyArray array = io::read_npy(spec.path);
      if (float32)
        data.f32 = to_bulk(array.to_float());
      else
        data.f64 = to_bulk(array.to_double());
    }
    for (std::size_t j = 0; j < data.cols; ++j) data.column_names.push_back(std::to_string(j));
    reject_nonfinite(data, spec);
    return data;
  }
  return from_table(io::read_numeric_table(spec.path, spec.table_options()), float32);
}

}  // namespace csc

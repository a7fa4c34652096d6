// NumPy .npy files: read format 1.0/2.0/3.0 headers and little-endian C-order data of five dtypes,
// write format 1.0 (2.0 only when the header needs it). Anything else is a clear error, never a
// transposed or garbled matrix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "src/byte_source.h"

namespace csc::io {

class OutputFile;

enum class NpyDtype { float32, float64, int32, int64, uint8 };

// '<f4', '<f8', '<i4', '<i8', '|u1'.
std::string_view npy_descr(NpyDtype dtype);
std::size_t npy_item_size(NpyDtype dtype);
// The dtype of a C++ element type (float, double, int32_t, int64_t, uint8_t).
template <class T>
constexpr NpyDtype npy_dtype_of();

struct NpyHeader {
  NpyDtype dtype = NpyDtype::float64;
  std::vector<std::uint64_t> shape;  // one or two dimensions
  int major_version = 1;
  std::size_t data_offset = 0;       // bytes before the data: magic, version, length, dictionary

  // A 1-D array of n elements is n rows of one column.
  std::uint64_t rows() const { return shape.empty() ? 0 : shape[0]; }
  std::uint64_t cols() const { return shape.size() == 2 ? shape[1] : 1; }
  std::uint64_t element_count() const { return rows() * cols(); }
  std::uint64_t data_bytes() const { return element_count() * npy_item_size(dtype); }
};

// Reads the header and leaves `source` at the first data byte. Throws csc::Error (bad_input) naming
// the file for bad magic, an unsupported version, a malformed dictionary, Fortran order, a big-endian
// or unsupported dtype, more than two dimensions, an element count that overflows, or (for a
// regular file) a data length the file cannot hold.
NpyHeader read_npy_header(ByteSource& source);

struct NpyArray {
  NpyHeader header;
  std::vector<unsigned char> data;  // raw little-endian elements, C order

  std::uint64_t rows() const { return header.rows(); }
  std::uint64_t cols() const { return header.cols(); }
  // Every element converted (int64 beyond 2^53 rounds to the nearest double).
  std::vector<double> to_double() const;
  std::vector<float> to_float() const;
};

// Whole-file readers; `path` "-" is stdin. Truncated data and bytes after the data are errors.
NpyArray read_npy(const std::string& path);
NpyArray read_npy(std::istream& in, const std::string& name);

// Converts `count` raw elements of `dtype` (little-endian) to doubles.
void npy_to_double(NpyDtype dtype, const unsigned char* raw, std::size_t count, double* out);

// The header bytes for `shape` (one or two dimensions): version 1.0 unless the dictionary is too long
// for it, padded so the data starts at a multiple of 64 bytes, exactly as numpy.save writes it.
std::string encode_npy_header(NpyDtype dtype, std::span<const std::uint64_t> shape);

// Writes a whole array to an open output (header then data; the caller commits).
void write_npy(OutputFile& out, NpyDtype dtype, std::span<const std::uint64_t> shape, const void* data);

// Writes `values` with `shape` (its product must equal values.size()) to `path` through a temporary
// file; an existing `path` is replaced only when `force` is true.
template <class T>
void write_npy_file(const std::string& path, std::span<const T> values, std::span<const std::uint64_t> shape,
                    bool force);

template <>
constexpr NpyDtype npy_dtype_of<float>() { return NpyDtype::float32; }
template <>
constexpr NpyDtype npy_dtype_of<double>() { return NpyDtype::float64; }
template <>
constexpr NpyDtype npy_dtype_of<std::int32_t>() { return NpyDtype::int32; }
template <>
constexpr NpyDtype npy_dtype_of<std::int64_t>() { return NpyDtype::int64; }
template <>
constexpr NpyDtype npy_dtype_of<std::uint8_t>() { return NpyDtype::uint8; }

}  // namespace csc::io

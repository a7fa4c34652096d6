// .npy reading and writing; the header dictionary is parsed by a small strict parser, not eval.
#include "src/npy.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <optional>

#include <fmt/format.h>

#include "src/error.h"
#include "src/output_file.h"

namespace csc::io {

static_assert(std::endian::native == std::endian::little, "the .npy code copies little-endian data as is");

namespace {

constexpr std::string_view kMagic = "\x93NUMPY";
constexpr std::size_t kMaxHeaderBytes = std::size_t{1} << 20;
constexpr std::size_t kAlign = 64;
// numpy.save leaves room in the header for the first dimension to grow to this many digits.
constexpr std::size_t kGrowthAxisMaxDigits = 21;

[[noreturn]] void fail(const ByteSource& source, const std::string& what) { throw input_error(source.name(), what); }

[[noreturn]] void malformed(const ByteSource& source, std::size_t at, const std::string& what) {
  fail(source, fmt::format("malformed .npy header ({} at byte {} of the header dictionary), rewrite the file "
                           "with numpy.save",
                           what, at + 1));
}

// The strict reader of the header dictionary numpy writes: {'descr': .., 'fortran_order': .., 'shape': (..), }
class HeaderParser {
 public:
  HeaderParser(const ByteSource& source, std::string_view text) : source_(source), text_(text) {}

  void parse(std::string& descr, bool& fortran_order, std::vector<std::uint64_t>& shape) {
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    for (;;) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = parse_string();
      expect(':');
      skip_space();
      if (key == "descr") {
        if (peek() == '[') fail(source_, "unsupported dtype (a structured array), csc reads plain numeric arrays");
        descr = parse_string();
        have_descr = true;
      } else if (key == "fortran_order") {
        fortran_order = parse_bool();
        have_order = true;
      } else if (key == "shape") {
        shape = parse_shape();
        have_shape = true;
      } else {
        malformed(source_, pos_, fmt::format("unexpected key '{}'", printable(key)));
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') malformed(source_, pos_, "expected ',' or '}'");
    }
    ++pos_;
    skip_space();
    if (pos_ != text_.size()) malformed(source_, pos_, "text after the closing '}'");
    if (!have_descr || !have_order || !have_shape)
      malformed(source_, pos_, !have_descr ? "no 'descr' key" : !have_order ? "no 'fortran_order' key" : "no 'shape' key");
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) malformed(source_, pos_, fmt::format("expected '{}'", c));
    ++pos_;
  }
  static std::string printable(std::string_view text) {
    std::string out;
    for (const char c : text.substr(0, 40)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
    return out;
  }
  std::string parse_string() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') malformed(source_, pos_, "expected a quoted string");
    const std::size_t close = text_.find(quote, pos_ + 1);
    if (close == std::string_view::npos) malformed(source_, pos_, "a string that is never closed");
    std::string value(text_.substr(pos_ + 1, close - pos_ - 1));
    pos_ = close + 1;
    return value;
  }
  bool parse_bool() {
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    malformed(source_, pos_, "expected True or False");
  }
  std::vector<std::uint64_t> parse_shape() {
    std::vector<std::uint64_t> shape;
    expect('(');
    for (;;) {
      skip_space();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') malformed(source_, pos_, "expected a dimension");
      std::uint64_t value = 0;
      while (peek() >= '0' && peek() <= '9') {
        const auto digit = static_cast<std::uint64_t>(peek() - '0');
        if (value > (UINT64_MAX - digit) / 10) malformed(source_, pos_, "a dimension too large");
        value = value * 10 + digit;
        ++pos_;
      }
      if (peek() == 'L') ++pos_;  // Python 2 long
      if (shape.size() == 8) malformed(source_, pos_, "more than 8 dimensions");
      shape.push_back(value);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ')') malformed(source_, pos_, "expected ',' or ')' in the shape");
    }
    ++pos_;
    return shape;
  }

  const ByteSource& source_;
  std::string_view text_;
  std::size_t pos_ = 0;
};

NpyDtype dtype_from_descr(const ByteSource& source, const std::string& descr) {
  if (descr == "<f8") return NpyDtype::float64;
  if (descr == "<f4") return NpyDtype::float32;
  if (descr == "<i4") return NpyDtype::int32;
  if (descr == "<i8") return NpyDtype::int64;
  if (descr == "|u1" || descr == "<u1") return NpyDtype::uint8;
  std::string shown;
  for (const char c : std::string_view(descr).substr(0, 20)) shown += (c >= 0x20 && c < 0x7F) ? c : '?';
  if (!descr.empty() && descr[0] == '>')
    fail(source, fmt::format("big-endian data (dtype '{}'), save it little-endian, e.g. np.save(path, "
                             "a.astype(a.dtype.newbyteorder('<')))",
                             shown));
  fail(source, fmt::format("unsupported dtype '{}', csc reads float32, float64, int32, int64 and uint8 "
                           "(convert with a.astype(np.float64))",
                           shown));
}

// n bytes or an error: the header must be there in full.
void read_exactly(ByteSource& source, char* out, std::size_t n, const char* what) {
  const std::size_t got = source.read(out, n);
  if (got != n) fail(source, fmt::format("truncated .npy file (it ends inside the {}), rewrite the file", what));
}

std::string truncated_message(const NpyHeader& header, std::uint64_t found) {
  return fmt::format("truncated .npy file: the header promises {} {} values ({} bytes) but only {} bytes of data "
                     "follow, rewrite the file",
                     header.element_count(), npy_descr(header.dtype), header.data_bytes(), found);
}

template <class T>
void convert(const unsigned char* raw, std::size_t count, double* out) {
  for (std::size_t i = 0; i < count; ++i) {
    T value;
    std::memcpy(&value, raw + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(value);
  }
}

NpyArray read_whole(ByteSource& source) {
  NpyArray array;
  array.header = read_npy_header(source);
  const std::uint64_t wanted = array.header.data_bytes();
  if (wanted > SIZE_MAX) fail(source, truncated_message(array.header, 0));
  // Grow geometrically as the data arrives, so a header that lies about the shape costs no more
  // memory than the bytes really there.
  std::size_t have = 0;
  while (have < wanted) {
    const std::size_t step = std::max<std::size_t>(have, std::size_t{1} << 20);
    const std::size_t next = static_cast<std::size_t>(std::min<std::uint64_t>(wanted, have + step));
    array.data.resize(next);
    const std::size_t got = source.read(reinterpret_cast<char*>(array.data.data()) + have, next - have);
    have += got;
    if (have < next) fail(source, truncated_message(array.header, have));
  }
  char extra[4096];
  std::uint64_t trailing = 0;
  for (std::size_t got; (got = source.read(extra, sizeof extra)) > 0;) trailing += got;
  if (trailing > 0)
    fail(source, fmt::format("{} bytes follow the data the header describes ({} values of shape {}), the file is "
                             "damaged or not a single .npy array",
                             trailing, array.header.element_count(), fmt::join(array.header.shape, "x")));
  return array;
}

}  // namespace

std::string_view npy_descr(NpyDtype dtype) {
  switch (dtype) {
    case NpyDtype::float32: return "<f4";
    case NpyDtype::float64: return "<f8";
    case NpyDtype::int32: return "<i4";
    case NpyDtype::int64: return "<i8";
    case NpyDtype::uint8: return "|u1";
  }
  return "?";
}

std::size_t npy_item_size(NpyDtype dtype) {
  switch (dtype) {
    case NpyDtype::float32: return 4;
    case NpyDtype::float64: return 8;
    case NpyDtype::int32: return 4;
    case NpyDtype::int64: return 8;
    case NpyDtype::uint8: return 1;
  }
  return 1;
}

NpyHeader read_npy_header(ByteSource& source) {
  char prefix[8];
  const std::size_t got = source.read(prefix, sizeof prefix);
  if (got < kMagic.size() || std::string_view(prefix, kMagic.size()) != kMagic)
    fail(source, "not a .npy file (it does not start with the .npy magic bytes), save arrays with numpy.save");
  if (got < sizeof prefix) fail(source, "truncated .npy file (it ends inside the version), rewrite the file");
  NpyHeader header;
  header.major_version = static_cast<unsigned char>(prefix[6]);
  const int minor = static_cast<unsigned char>(prefix[7]);
  if (header.major_version < 1 || header.major_version > 3 || minor != 0)
    fail(source, fmt::format(".npy format version {}.{} is not supported (csc reads 1.0, 2.0 and 3.0)",
                             header.major_version, minor));
  std::size_t header_length = 0;
  unsigned char length_bytes[4] = {};
  const std::size_t length_size = header.major_version == 1 ? 2 : 4;
  read_exactly(source, reinterpret_cast<char*>(length_bytes), length_size, "header length");
  for (std::size_t i = length_size; i-- > 0;) header_length = header_length * 256 + length_bytes[i];
  if (header_length > kMaxHeaderBytes)
    fail(source, fmt::format("the .npy header claims {} bytes (more than {}), the file is damaged", header_length,
                             kMaxHeaderBytes));
  std::string text(header_length, '\0');
  read_exactly(source, text.data(), header_length, "header");
  header.data_offset = sizeof prefix + length_size + header_length;

  std::string descr;
  bool fortran_order = false;
  HeaderParser(source, text).parse(descr, fortran_order, header.shape);
  header.dtype = dtype_from_descr(source, descr);
  if (header.shape.empty())
    fail(source, "the array is 0-dimensional (a single number), csc reads 1-D and 2-D arrays");
  if (header.shape.size() > 2)
    fail(source, fmt::format("the array has {} dimensions (shape {}), csc reads 1-D and 2-D arrays; reshape it "
                             "to (rows, columns)",
                             header.shape.size(), fmt::join(header.shape, "x")));
  // Fortran order is only a different layout when both dimensions exceed one.
  if (fortran_order && header.shape.size() == 2 && header.shape[0] > 1 && header.shape[1] > 1)
    fail(source, "the array is stored in Fortran (column-major) order, save it with "
                 "np.save(path, np.ascontiguousarray(a))");
  std::uint64_t count = 1;
  for (const std::uint64_t dim : header.shape) {
    if (dim != 0 && count > UINT64_MAX / npy_item_size(header.dtype) / dim)
      fail(source, fmt::format("the shape {} is too large, the file is damaged", fmt::join(header.shape, "x")));
    count *= dim;
  }
  if (const auto size = source.size(); size && *size >= header.data_offset) {
    const std::uint64_t available = *size - header.data_offset;
    if (available < header.data_bytes()) fail(source, truncated_message(header, available));
  }
  return header;
}

void npy_to_double(NpyDtype dtype, const unsigned char* raw, std::size_t count, double* out) {
  switch (dtype) {
    case NpyDtype::float32: convert<float>(raw, count, out); break;
    case NpyDtype::float64: convert<double>(raw, count, out); break;
    case NpyDtype::int32: convert<std::int32_t>(raw, count, out); break;
    case NpyDtype::int64: convert<std::int64_t>(raw, count, out); break;
    case NpyDtype::uint8: convert<std::uint8_t>(raw, count, out); break;
  }
}

std::vector<double> NpyArray::to_double() const {
  std::vector<double> out(header.element_count());
  npy_to_double(header.dtype, data.data(), out.size(), out.data());
  return out;
}

std::vector<float> NpyArray::to_float() const {
  const std::size_t count = header.element_count();
  std::vector<float> out(count);
  if (header.dtype == NpyDtype::float32) {
    if (count > 0) std::memcpy(out.data(), data.data(), count * sizeof(float));
    return out;
  }
  std::vector<double> wide = to_double();
  std::transform(wide.begin(), wide.end(), out.begin(), [](double v) { return static_cast<float>(v); });
  return out;
}

NpyArray read_npy(const std::string& path) {
  ByteSource source(path);
  return read_whole(source);
}

NpyArray read_npy(std::istream& in, const std::string& name) {
  ByteSource source(in, name);
  return read_whole(source);
}

std::string encode_npy_header(NpyDtype dtype, std::span<const std::uint64_t> shape) {
  if (shape.empty() || shape.size() > 2) throw std::invalid_argument("encode_npy_header: shape must have 1 or 2 dimensions");
  // Python's repr of the shape tuple: (3,) or (2, 3).
  const std::string shape_text =
      shape.size() == 1 ? fmt::format("({},)", shape[0]) : fmt::format("({}, {})", shape[0], shape[1]);
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}", npy_descr(dtype), shape_text);
  const std::size_t first_digits = fmt::formatted_size("{}", shape[0]);
  dict.append(kGrowthAxisMaxDigits > first_digits ? kGrowthAxisMaxDigits - first_digits : 0, ' ');
  for (const int version : {1, 2}) {
    const std::size_t prefix = kMagic.size() + 2 + (version == 1 ? 2 : 4);
    const std::size_t with_newline = dict.size() + 1;
    const std::size_t pad = kAlign - (prefix + with_newline) % kAlign;  // numpy pads a full 64 when aligned
    const std::size_t length = with_newline + pad;
    if (version == 1 && length > 0xFFFF) continue;
    std::string out(kMagic);
    out += static_cast<char>(version);
    out += '\0';
    for (std::size_t i = 0; i < (version == 1 ? 2u : 4u); ++i) out += static_cast<char>((length >> (8 * i)) & 0xFF);
    out += dict;
    out.append(pad, ' ');
    out += '\n';
    return out;
  }
  throw std::invalid_argument("encode_npy_header: header too long");
}

void write_npy(OutputFile& out, NpyDtype dtype, std::span<const std::uint64_t> shape, const void* data) {
  std::uint64_t count = 1;
  for (const std::uint64_t dim : shape) count *= dim;
  out.write(encode_npy_header(dtype, shape));
  out.write(data, static_cast<std::size_t>(count) * npy_item_size(dtype));
}

template <class T>
void write_npy_file(const std::string& path, std::span<const T> values, std::span<const std::uint64_t> shape,
                    bool force) {
  std::uint64_t count = 1;
  for (const std::uint64_t dim : shape) count *= dim;
  if (count != values.size()) throw std::invalid_argument("write_npy_file: shape does not match the number of values");
  OutputFile out(path, force);
  write_npy(out, npy_dtype_of<T>(), shape, values.data());
  out.commit();
}

template void write_npy_file<float>(const std::string&, std::span<const float>, std::span<const std::uint64_t>, bool);
template void write_npy_file<double>(const std::string&, std::span<const double>, std::span<const std::uint64_t>, bool);
template void write_npy_file<std::int32_t>(const std::string&, std::span<const std::int32_t>,
                                           std::span<const std::uint64_t>, bool);
template void write_npy_file<std::int64_t>(const std::string&, std::span<const std::int64_t>,
                                           std::span<const std::uint64_t>, bool);
template void write_npy_file<std::uint8_t>(const std::string&, std::span<const std::uint8_t>,
                                           std::span<const std::uint64_t>, bool);

}  // namespace csc::io

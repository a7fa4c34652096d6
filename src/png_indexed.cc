// Palette PNG encoding (fixed-Huffman deflate, CRC-32, Adler-32) and base64, for images inside SVG files.
#include "src/png_indexed.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace csc::plot {
namespace {

std::uint32_t crc32(const std::string& data, std::size_t from) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = from; i < data.size(); ++i) c = table[(c ^ static_cast<unsigned char>(data[i])) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

void put_u32_be(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xFF);
}

void put_chunk(std::string& out, const char* type, const std::string& data) {
  put_u32_be(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = out.size();
  out += type;
  out += data;
  put_u32_be(out, crc32(out, start));
}

// Writes bits least significant first, as deflate packs them; Huffman codes go most significant first.
class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}
  void bits(std::uint32_t value, int count) {
    buffer_ |= static_cast<std::uint64_t>(value) << filled_;
    filled_ += count;
    while (filled_ >= 8) {
      out_ += static_cast<char>(buffer_ & 0xFF);
      buffer_ >>= 8;
      filled_ -= 8;
    }
  }
  void code(std::uint32_t code, int length) {
    std::uint32_t reversed = 0;
    for (int i = 0; i < length; ++i) reversed |= ((code >> i) & 1u) << (length - 1 - i);
    bits(reversed, length);
  }
  void flush() {
    if (filled_ > 0) out_ += static_cast<char>(buffer_ & 0xFF);
    buffer_ = 0;
    filled_ = 0;
  }

 private:
  std::string& out_;
  std::uint64_t buffer_ = 0;
  int filled_ = 0;
};

// The fixed Huffman code of RFC 1951 section 3.2.6.
void put_symbol(BitWriter& w, std::uint32_t symbol) {
  if (symbol < 144) w.code(0x30 + symbol, 8);
  else if (symbol < 256) w.code(0x190 + symbol - 144, 9);
  else if (symbol < 280) w.code(symbol - 256, 7);
  else w.code(0xC0 + symbol - 280, 8);
}

void put_match(BitWriter& w, std::size_t length, std::size_t distance) {
  static constexpr std::array<std::uint16_t, 29> kLengthBase = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                                31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
  static constexpr std::array<std::uint8_t, 29> kLengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                                2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
  static constexpr std::array<std::uint16_t, 30> kDistanceBase = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,
                                                                  33,  49,  65,  97,  129, 193,  257,  385,  513,  769,
                                                                  1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
  std::size_t i = kLengthBase.size() - 1;
  while (kLengthBase[i] > length) --i;
  put_symbol(w, static_cast<std::uint32_t>(257 + i));
  w.bits(static_cast<std::uint32_t>(length - kLengthBase[i]), kLengthExtra[i]);
  std::size_t j = kDistanceBase.size() - 1;
  while (kDistanceBase[j] > distance) --j;
  w.code(static_cast<std::uint32_t>(j), 5);
  w.bits(static_cast<std::uint32_t>(distance - kDistanceBase[j]), j < 4 ? 0 : static_cast<int>(j / 2 - 1));
}

// A zlib stream of one fixed-Huffman deflate block. Matches are looked for only one byte back (runs
// of a colour) and one row back (repeated rows): that is where an upscaled palette image repeats
// itself, and it keeps the encoder a few lines long.
std::string zlib_compress(const std::string& raw, std::size_t row_bytes) {
  std::string out = "\x78\x01";
  BitWriter w(out);
  w.bits(1, 1);  // final block
  w.bits(1, 2);  // fixed Huffman codes
  const std::size_t n = raw.size();
  std::size_t i = 0;
  while (i < n) {
    std::size_t best_length = 0, best_distance = 0;
    for (std::size_t distance : {std::size_t{1}, row_bytes}) {
      if (distance == 0 || distance > 32768 || distance > i) continue;
      std::size_t length = 0;
      while (length < 258 && i + length < n && raw[i + length] == raw[i + length - distance]) ++length;
      if (length > best_length) {
        best_length = length;
        best_distance = distance;
      }
    }
    if (best_length >= 3) {
      put_match(w, best_length, best_distance);
      i += best_length;
    } else {
      put_symbol(w, static_cast<unsigned char>(raw[i]));
      ++i;
    }
  }
  put_symbol(w, 256);  // end of block
  w.flush();
  std::uint32_t a = 1, b = 0;
  for (unsigned char c : raw) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  put_u32_be(out, (b << 16) | a);
  return out;
}

}  // namespace

std::string encode_png_indexed(std::uint32_t width, std::uint32_t height, const std::vector<std::uint8_t>& pixels,
                               const std::vector<std::uint32_t>& palette, int transparent_index) {
  if (width == 0 || height == 0 || pixels.size() != static_cast<std::size_t>(width) * height) {
    throw std::invalid_argument("encode_png_indexed: pixel count does not match width x height");
  }
  if (palette.empty() || palette.size() > 256) throw std::invalid_argument("encode_png_indexed: palette needs 1..256 colours");

  std::string png = "\x89PNG\r\n\x1a\n";
  std::string header;
  put_u32_be(header, width);
  put_u32_be(header, height);
  header += std::string("\x08\x03\x00\x00\x00", 5);  // 8-bit, palette, deflate, no filter, no interlace
  put_chunk(png, "IHDR", header);

  std::string colours;
  for (std::uint32_t rgb : palette) {
    colours += static_cast<char>((rgb >> 16) & 0xFF);
    colours += static_cast<char>((rgb >> 8) & 0xFF);
    colours += static_cast<char>(rgb & 0xFF);
  }
  put_chunk(png, "PLTE", colours);
  if (transparent_index >= 0 && transparent_index < static_cast<int>(palette.size())) {
    std::string alpha(static_cast<std::size_t>(transparent_index) + 1, '\xFF');
    alpha.back() = '\0';
    put_chunk(png, "tRNS", alpha);
  }

  std::string raw;
  raw.reserve((static_cast<std::size_t>(width) + 1) * height);
  for (std::uint32_t row = 0; row < height; ++row) {
    raw += '\0';  // filter type None
    raw.append(reinterpret_cast<const char*>(pixels.data()) + static_cast<std::size_t>(row) * width, width);
  }
  put_chunk(png, "IDAT", zlib_compress(raw, static_cast<std::size_t>(width) + 1));
  put_chunk(png, "IEND", "");
  return png;
}

std::string base64_encode(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                            static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace csc::plot

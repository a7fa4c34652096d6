// CsvReader: the record scanner. A record is scanned only when it lies whole in the buffer, so a
// scan that runs out of bytes simply refills and starts the record again; nothing is half-parsed.
#include "src/csv_reader.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "src/error.h"

namespace csc::io {

namespace {

bool ends_with_ci(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char lower, char c) { return c == lower || (c >= 'A' && c <= 'Z' && c - 'A' + 'a' == lower); });
}

// The first byte in [p, end) that is the separator, a quote, CR or LF (or end), eight bytes at a
// time: a byte equal to c makes (x ^ c) zero, and zero_bytes marks exactly the zero bytes (its
// additions cannot carry from one byte into the next).
const char* find_special(const char* p, const char* end, char separator) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kLows = 0x7F7F7F7F7F7F7F7FULL;
  const std::uint64_t sep = kOnes * static_cast<unsigned char>(separator);
  const auto zero_bytes = [](std::uint64_t v) { return ~(((v & kLows) + kLows) | v | kLows); };
  while (end - p >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    const std::uint64_t hits = zero_bytes(x ^ sep) | zero_bytes(x ^ (kOnes * '"')) | zero_bytes(x ^ (kOnes * '\n')) |
                               zero_bytes(x ^ (kOnes * '\r'));
    if (hits != 0) {
      const int first = std::endian::native == std::endian::little ? std::countr_zero(hits) : std::countl_zero(hits);
      return p + first / 8;
    }
    p += 8;
  }
  while (p < end && *p != separator && *p != '"' && *p != '\n' && *p != '\r') ++p;
  return p;
}

char checked_separator(char separator) {
  if (separator == '"' || separator == '\r' || separator == '\n')
    throw usage_error(fmt::format("a quote or a line break cannot be the field separator"));
  return separator;
}

}  // namespace

char separator_for_path(std::string_view path) {
  return ends_with_ci(path, ".tsv") || ends_with_ci(path, ".tab") ? '\t' : ',';
}

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (i + length > n || s[i + 1] < low || s[i + 1] > high) return i;
    for (std::size_t k = 2; k < length; ++k)
      if ((s[i + k] & 0xC0) != 0x80) return i;
    i += length;
  }
  return std::string_view::npos;
}

CsvReader::CsvReader(const std::string& path, char separator, std::size_t buffer_bytes)
    : source_(path), separator_(checked_separator(separator == 0 ? separator_for_path(path) : separator)) {
  allocate(std::max<std::size_t>(buffer_bytes, 16));
}

CsvReader::CsvReader(std::istream& in, std::string name, char separator, std::size_t buffer_bytes)
    : source_(in, std::move(name)), separator_(checked_separator(separator == 0 ? ',' : separator)) {
  allocate(std::max<std::size_t>(buffer_bytes, 16));
}

std::string CsvReader::where(const CsvField& field) const {
  return fmt::format("{}:{}:{}", name(), field.line, field.column);
}

std::string CsvReader::where_record() const { return fmt::format("{}:{}:1", name(), record_line_); }

std::string_view CsvReader::text(std::size_t index) const {
  const CsvField& field = fields_.at(index);
  const std::size_t bad = find_invalid_utf8(field.text);
  if (bad != std::string_view::npos)
    throw input_error(where(field), fmt::format("field {} is not valid UTF-8 (byte {} of the field), save the file as UTF-8",
                                                index + 1, bad + 1));
  return field.text;
}

void CsvReader::allocate(std::size_t size) {
  // Uninitialised: every byte is written by a read before it is scanned.
  auto bigger = std::make_unique_for_overwrite<char[]>(size);
  if (end_ > 0) std::memcpy(bigger.get(), buffer_.get(), end_);
  buffer_ = std::move(bigger);
  buffer_size_ = size;
}

void CsvReader::refill() {
  const std::size_t pending = end_ - begin_;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, pending);
    begin_ = 0;
    end_ = pending;
  }
  // Growing once the unfinished record fills half the buffer keeps every refill at least half a
  // buffer long, so rescanning a long record stays linear overall.
  if (pending > buffer_size_ / 2) {
    if (pending >= kMaxRecordBytes)
      throw input_error(fmt::format("{}:{}:1", name(), line_),
                        fmt::format("a record longer than {} MiB starts here, check for a quote that is never closed",
                                    kMaxRecordBytes >> 20));
    allocate(std::min(buffer_size_ * 2, kMaxRecordBytes + 1));
  }
  const std::size_t wanted = buffer_size_ - end_;
  const std::size_t got = source_.read(buffer_.get() + end_, wanted);
  end_ += got;
  if (got < wanted) eof_ = true;
}

void CsvReader::skip_bom() {
  while (end_ - begin_ < 3 && !eof_) refill();
  if (end_ - begin_ >= 3 && std::memcmp(buffer_.get() + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
}

bool CsvReader::next_record() {
  if (!started_) {
    started_ = true;
    skip_bom();
  }
  for (;;) {
    if (begin_ == end_) {
      if (eof_) return false;
      refill();
      continue;
    }
    if (scan_record() == Scan::complete) break;
    refill();
  }
  // Collapse doubled quotes in place: the record is whole and its bytes are never scanned again.
  for (const std::size_t index : escaped_) {
    std::string_view& text = fields_[index].text;
    char* const out_begin = buffer_.get() + (text.data() - buffer_.get());
    char* out = out_begin;
    for (std::size_t i = 0; i < text.size(); ++i) {
      *out++ = text[i];
      if (text[i] == '"') ++i;  // the scanner guarantees the second quote of the pair
    }
    text = std::string_view(out_begin, static_cast<std::size_t>(out - out_begin));
  }
  return true;
}

CsvReader::Scan CsvReader::scan_record() {
  fields_.clear();
  escaped_.clear();
  const char* const base = buffer_.get();
  const char* const end = base + end_;
  const char* p = base + begin_;
  const char* line_start = p;
  std::int64_t line = line_;
  const char separator = separator_;
  const auto located = [&](std::int64_t at_line, const char* at) {
    return fmt::format("{}:{}:{}", name(), at_line, at - line_start + 1);
  };

  for (;;) {
    CsvField field;
    field.line = line;
    field.column = p - line_start + 1;
    if (p < end && *p == '"') {
      field.quoted = true;
      const char* const open = p;
      const char* search = p + 1;
      bool escaped = false;
      const char* close;
      for (;;) {
        close = static_cast<const char*>(std::memchr(search, '"', static_cast<std::size_t>(end - search)));
        if (close == nullptr) {
          if (!eof_) return Scan::need_more;
          throw input_error(located(line, open),
                            "this quoted field is never closed (no matching '\"' before the end of the input), "
                            "close the quote or write a quote inside a quoted field as \"\"");
        }
        if (close + 1 == end && !eof_) return Scan::need_more;  // a doubled quote may straddle the refill
        if (close + 1 < end && close[1] == '"') {
          escaped = true;
          search = close + 2;
          continue;
        }
        break;
      }
      field.text = std::string_view(open + 1, static_cast<std::size_t>(close - open - 1));
      for (const char* c = open + 1; c < close; ++c) {
        if (*c == '\n' || (*c == '\r' && c[1] != '\n')) {  // c[1] is at most `close`, in the buffer
          ++line;
          line_start = c + 1;
        }
      }
      if (escaped) escaped_.push_back(fields_.size());
      p = close + 1;
      if (p == end) {  // end of input right after the closing quote
        fields_.push_back(field);
        break;
      }
      if (*p == separator) {
        fields_.push_back(field);
        ++p;
        continue;
      }
      if (*p != '\n' && *p != '\r')
        throw input_error(located(line, p),
                          fmt::format("unexpected character '{}' after a closing quote, a quoted field must end at "
                                      "the separator or the end of the line",
                                      std::string_view(p, 1)));
    } else {
      const char* const start = p;
      p = find_special(p, end, separator);
      if (p == end && !eof_) return Scan::need_more;
      if (p < end && *p == '"')
        throw input_error(located(line, p),
                          "a quote inside an unquoted field, quote the whole field (\"...\") and double the quotes "
                          "inside it");
      field.text = std::string_view(start, static_cast<std::size_t>(p - start));
      fields_.push_back(field);
      if (p == end) break;
      if (*p == separator) {
        ++p;
        continue;
      }
    }
    // *p is '\n' or '\r': the record ends here.
    if (field.quoted) fields_.push_back(field);
    if (*p == '\r') {
      if (p + 1 == end && !eof_) return Scan::need_more;  // is it CRLF? the next byte decides
      if (p + 1 < end && p[1] == '\n') ++p;
    }
    ++p;
    ++line;
    break;
  }
  record_line_ = line_;
  line_ = line;
  begin_ = static_cast<std::size_t>(p - base);
  return Scan::complete;
}

}  // namespace csc::io

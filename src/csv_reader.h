// CsvReader: a streaming RFC 4180 reader (quoted fields, doubled quotes, separators and newlines in
// quotes, CRLF/LF/CR, UTF-8 BOM) that hands out one record at a time as views into its buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "src/byte_source.h"

namespace csc::io {

// One field of the current record. `text` is unquoted and unescaped and stays valid until the next
// call to next_record(). `line` and `column` (both 1-based, column counted in bytes) locate the
// field's first byte, its opening quote when quoted.
struct CsvField {
  std::string_view text;
  std::int64_t line = 0;
  std::int64_t column = 0;
  bool quoted = false;
};

// '\t' for paths ending in .tsv or .tab (any case), ',' otherwise (also for "-").
char separator_for_path(std::string_view path);

// The offset of the first byte of `text` that is not well-formed UTF-8, or npos when all of it is.
std::size_t find_invalid_utf8(std::string_view text);

class CsvReader {
 public:
  // Records longer than this are an error (they are almost always a quote that is never closed).
  static constexpr std::size_t kMaxRecordBytes = std::size_t{256} << 20;

  // Reads `path` ("-" is stdin); separator 0 means separator_for_path(path).
  explicit CsvReader(const std::string& path, char separator = 0, std::size_t buffer_bytes = std::size_t{1} << 20);
  // Reads `in` (not owned); `name` is what messages call it.
  CsvReader(std::istream& in, std::string name, char separator, std::size_t buffer_bytes = std::size_t{1} << 20);

  // Moves to the next record; false at the end of the input. Throws csc::Error (bad_input) on bad
  // quoting, located at file:line:column. Every line is a record: an empty line is one empty field.
  bool next_record();

  const std::vector<CsvField>& fields() const { return fields_; }
  // 1-based line on which the current record starts.
  std::int64_t record_line() const { return record_line_; }
  // "file:line:column" of a field.
  std::string where(const CsvField& field) const;
  // "file:line:1" of the current record.
  std::string where_record() const;
  // Field `index` checked to be UTF-8 text; throws input_error at its location otherwise.
  std::string_view text(std::size_t index) const;
  // True when the current record is an empty line.
  bool blank_record() const { return fields_.size() == 1 && fields_[0].text.empty() && !fields_[0].quoted; }

  const std::string& name() const { return source_.name(); }
  char separator() const { return separator_; }

 private:
  enum class Scan { complete, need_more };
  Scan scan_record();
  void refill();
  void allocate(std::size_t size);
  void skip_bom();

  ByteSource source_;
  char separator_;
  std::unique_ptr<char[]> buffer_;
  std::size_t buffer_size_ = 0;
  std::size_t begin_ = 0;  // first unconsumed byte
  std::size_t end_ = 0;    // one past the last byte read
  bool eof_ = false;
  bool started_ = false;
  std::int64_t line_ = 1;  // line number at begin_
  std::int64_t record_line_ = 0;
  std::vector<CsvField> fields_;
  std::vector<std::size_t> escaped_;  // fields holding doubled quotes, unescaped once the record is whole
};

}  // namespace csc::io

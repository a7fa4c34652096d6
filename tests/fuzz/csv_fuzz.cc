// libFuzzer harness of the CSV reader and the CSV numeric table. A csc::Error is an expected outcome;
// a crash, a sanitizer report or a disagreement between equivalent reads is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "src/csv_reader.h"
#include "src/error.h"
#include "src/numeric_table.h"

namespace {

struct Outcome {
  std::vector<std::string> cells;  // fields (with their locations) or numbers, flattened
  std::string error;
  bool operator==(const Outcome&) const = default;
};

Outcome scan_records(const std::string& text, char separator, std::size_t buffer) {
  Outcome outcome;
  try {
    std::istringstream in(text);
    csc::io::CsvReader reader(in, "fuzz.csv", separator, buffer);
    while (reader.next_record()) {
      outcome.cells.push_back("|");
      for (std::size_t i = 0; i < reader.fields().size(); ++i) {
        const auto& field = reader.fields()[i];
        outcome.cells.push_back(std::string(field.text) + "@" + reader.where(field));
        try {
          reader.text(i);
        } catch (const csc::Error& error) {
          outcome.cells.push_back(error.what());
        }
      }
    }
  } catch (const csc::Error& error) {
    outcome.error = error.what();
  }
  return outcome;
}

Outcome read_table(const std::string& text, const csc::io::TableOptions& options, std::size_t block) {
  Outcome outcome;
  try {
    std::istringstream in(text);
    csc::io::NumericBlockReader reader(in, "fuzz.csv", options);
    csc::io::NumericValues values;
    std::vector<std::string> labels, all_labels;
    while (reader.next_block(block, values, &labels) > 0) {
      for (const double v : values) outcome.cells.emplace_back(reinterpret_cast<const char*>(&v), sizeof v);
      // Labels go after all values, so that the flattening does not depend on where blocks end.
      all_labels.insert(all_labels.end(), labels.begin(), labels.end());
    }
    outcome.cells.insert(outcome.cells.end(), all_labels.begin(), all_labels.end());
  } catch (const csc::Error& error) {
    outcome.cells.clear();  // blocks before the bad row were delivered; the read as a whole failed
    outcome.error = error.what();
  }
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte chooses the options, the rest is the file.
  const std::uint8_t flags = data[0];
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const char separator = (flags & 1) ? '\t' : ',';

  // Refills at any buffer size must not change a single record, location or error.
  const std::size_t small_buffer = std::size_t{16} << ((flags >> 5) & 7);
  if (scan_records(text, separator, small_buffer) != scan_records(text, separator, std::size_t{1} << 20)) std::abort();

  csc::io::TableOptions options;
  options.format = (flags & 1) ? csc::io::TableFormat::tsv : csc::io::TableFormat::csv;
  options.header = static_cast<csc::io::HeaderMode>(((flags >> 1) & 3) % 3);
  if (flags & 8) options.columns = "1,0";
  if (flags & 16) options.label_column = "0";
  // Streaming in blocks must agree with the whole read, values and errors alike.
  const Outcome whole = read_table(text, options, SIZE_MAX);
  if (read_table(text, options, 3) != whole) std::abort();
  if (read_table(text, options, 1) != whole) std::abort();
  return 0;
}

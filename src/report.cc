// The JSON envelope (CONVENTIONS.md §4) and aligned text tables.
#include "src/report.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "src/csc_version.h"

namespace csc {

Json make_envelope(const Report& report, const EnvelopeContext& context) {
  Json envelope = Json::object();
  envelope["csc"] = CSC_VERSION;
  envelope["command"] = context.command;
  envelope["device"] = context.device;
  envelope["simd_target"] = context.simd_target;
  envelope["threads"] = context.threads;
  envelope["seed"] = context.seed;
  envelope["input"] = report.input;
  envelope["params"] = report.params;
  envelope["result"] = report.result;
  Json timing = Json::object();
  for (const auto& [phase, seconds] : context.timing_s) timing[phase] = seconds;
  envelope["timing_s"] = timing;
  envelope["warnings"] = report.warnings;
  return envelope;
}

TextTable::TextTable(std::vector<std::string> header) { rows_.push_back(std::move(header)); }

void TextTable::add_row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

namespace {
// "12", "-3.5e7", "45 %", "nan": a number, optionally followed by a unit.
bool looks_numeric(const std::string& cell) {
  if (cell.empty()) return false;
  char* end = nullptr;
  std::strtod(cell.c_str(), &end);
  return end != cell.c_str() && (*end == '\0' || *end == ' ' || *end == '%');
}
// Display width in code points, so that "µs" and "σ" line up.
std::size_t display_width(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}
}  // namespace

std::string TextTable::render() const {
  std::vector<std::size_t> widths;
  for (const auto& row : rows_) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  // A column is right-aligned when every body cell in it is a number.
  std::vector<bool> numeric(widths.size(), rows_.size() > 1);
  for (std::size_t r = 1; r < rows_.size(); ++r)
    for (std::size_t i = 0; i < rows_[r].size(); ++i) numeric[i] = numeric[i] && looks_numeric(rows_[r][i]);
  std::string out;
  for (std::size_t r = 0; r < rows_.size(); ++r) {
    std::string line;
    for (std::size_t i = 0; i < rows_[r].size(); ++i) {
      const std::string& cell = rows_[r][i];
      std::string pad(widths[i] - display_width(cell), ' ');
      bool right = r > 0 && numeric[i];
      if (i > 0) line += "  ";
      line += right ? pad + cell : cell + (i + 1 < rows_[r].size() ? pad : "");
    }
    out += line + "\n";
  }
  return out;
}

std::string format_number(double value, int digits) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return fmt::format("{:.{}g}", value, digits);
}

}  // namespace csc

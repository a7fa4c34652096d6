// What one run produced (input, params, result, warnings, a text summary) and the two ways to print it:
// the JSON envelope of CONVENTIONS.md §4, built only here, and aligned fmt text tables.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace csc {

using Json = nlohmann::ordered_json;

struct Report {
  Json input = Json::object();    // what was read: file, format, rows, columns...
  Json params = Json::object();   // every effective option, defaults too
  Json result = Json::object();   // the numbers; documented key by key in the man page
  std::vector<std::string> warnings;
  std::string text;               // the human-readable summary printed without --json
};

// The run-wide facts the envelope carries next to the report.
struct EnvelopeContext {
  std::string command;            // "pca", or "pca apply" for a verb
  std::string device;             // the device that really ran: "cpu" or "cuda"
  std::string simd_target;        // Highway's choice on this CPU, e.g. "AVX3"
  int threads = 1;
  unsigned long long seed = 0;
  std::map<std::string, double> timing_s;  // load, compute, ... and total
};

Json make_envelope(const Report& report, const EnvelopeContext& context);

// An aligned plain-text table: the first row is the header, numbers right-aligned.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header);
  void add_row(std::vector<std::string> cells);
  std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Formats a number for text output with `digits` significant digits (general format, no trailing zeros).
std::string format_number(double value, int digits = 6);

}  // namespace csc

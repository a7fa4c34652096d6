// Estimates with bootstrap summaries, as JSON and as text.
#include "subcommands/scale_fit/report.h"

#include <cmath>

#include <fmt/format.h>

namespace csc {

Estimate estimate(std::string name, const LawQuantity& quantity, const fit::LawParams& law,
                  const std::vector<fit::LawParams>& resamples, double ci) {
  Estimate e;
  e.name = std::move(name);
  e.value = quantity(law);
  if (resamples.empty()) return e;
  std::vector<double> samples;
  samples.reserve(resamples.size());
  for (const fit::LawParams& r : resamples) samples.push_back(quantity(r));
  const fit::IntervalEstimate interval = fit::percentile_interval(samples, ci);
  e.standard_error = interval.standard_error;
  e.lower = interval.lower;
  e.upper = interval.upper;
  return e;
}

Json number_or_null(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json values_json(const std::vector<Estimate>& estimates) {
  Json out = Json::object();
  for (const Estimate& e : estimates) out[e.name] = number_or_null(e.value);
  return out;
}

Json standard_errors_json(const std::vector<Estimate>& estimates) {
  Json out = Json::object();
  bool any = false;
  for (const Estimate& e : estimates) {
    out[e.name] = number_or_null(e.standard_error);
    any = any || std::isfinite(e.standard_error);
  }
  return any ? out : Json(nullptr);
}

Json intervals_json(const std::vector<Estimate>& estimates) {
  Json out = Json::object();
  bool any = false;
  for (const Estimate& e : estimates) {
    out[e.name] = Json::array({number_or_null(e.lower), number_or_null(e.upper)});
    any = any || std::isfinite(e.lower);
  }
  return any ? out : Json(nullptr);
}

std::string estimates_table(const std::vector<Estimate>& estimates, bool with_interval, double ci) {
  bool any_error = false;
  for (const Estimate& e : estimates) any_error = any_error || std::isfinite(e.standard_error);
  std::vector<std::string> header = {"", "estimate"};
  if (any_error) header.push_back("std. error");
  if (with_interval) {
    header.push_back(fmt::format("{:g}%", 50 * (1 - ci)));
    header.push_back(fmt::format("{:g}%", 50 * (1 + ci)));
  }
  TextTable table(header);
  for (const Estimate& e : estimates) {
    std::vector<std::string> row = {e.name, format_number(e.value)};
    if (any_error) row.push_back(format_number(e.standard_error, 3));
    if (with_interval) {
      row.push_back(format_number(e.lower));
      row.push_back(format_number(e.upper));
    }
    table.add_row(row);
  }
  return table.render();
}

}  // namespace csc

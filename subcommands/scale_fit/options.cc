// Parsing of scale-fit's structured option values (--grid, --fix, --tie, --predict).
#include "subcommands/scale_fit/options.h"

#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "src/error.h"

namespace csc {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

// "name=value" split at the first '='.
std::pair<std::string, std::string> key_value(const std::string& text, const std::string& option) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw usage_error(fmt::format("{} '{}': expected NAME=VALUE", option, text));
  return {text.substr(0, eq), text.substr(eq + 1)};
}

int theta_index(const std::string& name) {
  for (int j = 0; j < fit::kParamCount; ++j)
    if (fit::kThetaNames[j] == name) return j;
  return -1;
}

// "lo:hi:step" or a single value.
std::vector<double> parse_axis(const std::string& name, const std::string& text) {
  const std::vector<std::string> parts = split(text, ':');
  const std::string what = fmt::format("--grid {}", name);
  if (parts.size() == 1) return {parse_number(parts[0], what)};
  if (parts.size() != 3) throw usage_error(fmt::format("--grid {}={}: expected lo:hi:step or one value", name, text));
  try {
    return fit::grid_axis(parse_number(parts[0], what), parse_number(parts[1], what), parse_number(parts[2], what));
  } catch (const std::invalid_argument&) {
    throw usage_error(fmt::format("--grid {}={}: need lo <= hi, step > 0 and at most 10000 values", name, text));
  }
}

}  // namespace

ScaleModel parse_scale_model(const std::string& name) {
  if (name == "power") return ScaleModel::power;
  if (name == "power-offset") return ScaleModel::power_offset;
  if (name == "chinchilla") return ScaleModel::chinchilla;
  throw usage_error("--model must be power, power-offset or chinchilla");
}

const char* scale_model_name(ScaleModel model) {
  switch (model) {
    case ScaleModel::power: return "power";
    case ScaleModel::power_offset: return "power-offset";
    case ScaleModel::chinchilla: return "chinchilla";
  }
  return "";
}

double parse_number(const std::string& text, const std::string& what) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || !std::isfinite(value))
    throw usage_error(fmt::format("{}: '{}' is not a finite number", what, text));
  return value;
}

fit::StartGrid parse_start_grid(const std::string& text, ScaleModel model) {
  fit::StartGrid grid = fit::hoffmann_start_grid();
  if (text.empty()) return grid;
  for (const std::string& item : split(text, ',')) {
    const auto [name, value] = key_value(item, "--grid");
    const int j = theta_index(name);
    if (j < 0) throw usage_error(fmt::format("--grid: unknown parameter '{}', use a, b, e, alpha or beta", name));
    if (model != ScaleModel::chinchilla && j != fit::kAlpha)
      throw usage_error(fmt::format("--grid {}: the {} model scans alpha only", name, scale_model_name(model)));
    grid.values[j] = parse_axis(name, value);
  }
  return grid;
}

std::vector<double> parse_alpha_scan(const std::string& text) {
  if (text.empty()) return {};
  return parse_start_grid(text, ScaleModel::power_offset).values[fit::kAlpha];
}

fit::ParamConstraints parse_constraints(const std::vector<std::string>& fix, const std::string& tie, ScaleModel model) {
  fit::ParamConstraints constraints;
  if (model == ScaleModel::power && !fix.empty()) throw usage_error("--fix applies to power-offset and chinchilla");
  const std::map<std::string, int> law_names = {
      {"E", fit::kLogE}, {"A", fit::kLogA}, {"B", fit::kLogB}, {"alpha", fit::kAlpha}, {"beta", fit::kBeta}};
  for (const std::string& item : fix) {
    const auto [name, value_text] = key_value(item, "--fix");
    const auto it = law_names.find(name);
    if (it == law_names.end()) throw usage_error(fmt::format("--fix: unknown parameter '{}', use E, A, B, alpha or beta", name));
    const int j = it->second;
    if (model == ScaleModel::power_offset && (j == fit::kLogB || j == fit::kBeta))
      throw usage_error(fmt::format("--fix {}: the power-offset model has E, A and alpha", name));
    if (constraints.fixed[j]) throw usage_error(fmt::format("--fix {} is given twice", name));
    const double value = parse_number(value_text, "--fix " + name);
    const bool positive_scale = j == fit::kLogE || j == fit::kLogA || j == fit::kLogB;
    if (positive_scale && !(value > 0)) throw usage_error(fmt::format("--fix {}={}: must be positive", name, value_text));
    constraints.fixed[j] = positive_scale ? std::log(value) : value;
  }
  if (!tie.empty()) {
    if (tie != "alpha=beta" && tie != "beta=alpha") throw usage_error("--tie: the one tie is alpha=beta");
    if (model != ScaleModel::chinchilla) throw usage_error("--tie alpha=beta applies to the chinchilla model");
    if (constraints.fixed[fit::kAlpha] || constraints.fixed[fit::kBeta])
      throw usage_error("--tie alpha=beta cannot be combined with --fix alpha or --fix beta: fix both instead");
    constraints.tie_alpha_beta = true;
  }
  bool any_free = false;
  for (int j = 0; j < fit::kParamCount; ++j) {
    const bool exists = model == ScaleModel::chinchilla || (j != fit::kLogB && j != fit::kBeta);
    any_free = any_free || (exists && !constraints.fixed[j]);
  }
  if (!any_free) throw usage_error("--fix: every parameter is fixed, nothing is left to fit");
  return constraints;
}

std::vector<PredictPoint> parse_predictions(const std::vector<std::string>& texts, ScaleModel model) {
  std::vector<PredictPoint> points;
  for (const std::string& text : texts) {
    std::map<std::string, double> values;
    for (const std::string& item : split(text, ',')) {
      const auto [name, value_text] = key_value(item, "--predict");
      const double value = parse_number(value_text, "--predict " + name);
      if (!(value > 0)) throw usage_error(fmt::format("--predict {}: must be positive", item));
      if (!values.emplace(name, value).second) throw usage_error(fmt::format("--predict '{}': {} given twice", text, name));
    }
    PredictPoint point;
    if (model == ScaleModel::chinchilla) {
      const bool ok = values.count("N") && (values.count("D") + values.count("C") == 1) && values.size() == 2;
      if (!ok) throw usage_error(fmt::format("--predict '{}': give N=... and one of D=... or C=...", text));
      point.n = values["N"];
      point.d = values.count("D") ? values["D"] : values["C"] / (6 * point.n);
    } else {
      if (values.size() != 1 || !values.count("x")) throw usage_error(fmt::format("--predict '{}': give x=...", text));
      point.n = values["x"];
    }
    points.push_back(point);
  }
  return points;
}

}  // namespace csc

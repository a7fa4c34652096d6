// Reading scale-fit's columns, detecting them by name, validating them, and the embedded data.
#include "subcommands/scale_fit/input.h"

#include <algorithm>
#include <charconv>
#include <iostream>
#include <iterator>
#include <memory>
#include <numeric>
#include <sstream>

#include <fmt/format.h>

#include "kernels/fit/synthetic_data.h"
#include "src/csv_reader.h"
#include "src/error.h"
#include "src/numeric_table.h"

namespace csc {

namespace {

// The embedded data's noise: 1% log-normal, about the scatter of the Chinchilla points around the fit.
constexpr double kEmbeddedNoise = 0.01;

// Column names tried, in order, when a role's option is not given and the file has a header.
const std::vector<std::string> kNNames = {"N", "n", "Model Size", "model_size", "params", "parameters"};
const std::vector<std::string> kDNames = {"D", "d", "Training Tokens", "training_tokens", "tokens"};
const std::vector<std::string> kCNames = {"C", "c", "Training FLOP", "training_flop", "compute", "flops", "FLOPs"};
const std::vector<std::string> kLossNames = {"loss", "Loss", "L"};

bool is_number(std::string_view text) {
  double value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && ptr == text.data() + text.size();
}

// The header's names when the first non-blank record looks like one (every cell non-empty text,
// none a number: the table reader's own rule), else none.
std::vector<std::string> header_names(io::CsvReader& reader) {
  while (reader.next_record())
    if (!reader.blank_record()) break;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < reader.fields().size(); ++i) {
    std::string_view text = reader.fields()[i].text;
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.empty() || is_number(text)) return {};
    names.emplace_back(text);
  }
  return names;
}

std::string detect(const std::vector<std::string>& header, const std::vector<std::string>& candidates) {
  for (const std::string& name : candidates)
    if (std::find(header.begin(), header.end(), name) != header.end()) return name;
  return {};
}

struct Roles {
  std::vector<std::string> names;  // role names in table order: "n", "d", "c", "loss" / "x", "y"
  std::vector<std::string> tokens; // the column tokens asked of the reader
};

Roles choose_columns(const ScaleFitOptions& o, ScaleModel model, const std::vector<std::string>& header) {
  Roles roles;
  const auto add = [&](const std::string& role, std::string token) {
    roles.names.push_back(role);
    roles.tokens.push_back(std::move(token));
  };
  if (model != ScaleModel::chinchilla) {
    add("x", !o.x.empty() ? o.x : "0");
    add("y", !o.y.empty() ? o.y : "1");
    return roles;
  }
  if (!o.d.empty() && !o.c.empty()) throw usage_error("give --d or --c, not both (D = C / (6 N) when only C is known)");
  const auto pick = [&](const std::string& given, const std::vector<std::string>& candidates) {
    return !given.empty() ? given : detect(header, candidates);
  };
  std::string n = pick(o.n, kNNames), loss = pick(o.loss, kLossNames);
  std::string d = !o.c.empty() ? std::string() : pick(o.d, kDNames);
  std::string c = !d.empty() ? std::string() : pick(o.c, kCNames);
  if (header.empty()) {  // no names to go by: columns N, D, loss by position
    if (n.empty()) n = "0";
    if (d.empty() && c.empty()) d = "1";
    if (loss.empty()) loss = "2";
  }
  const std::string known = header.empty() ? std::string("none") : fmt::format("\"{}\"", fmt::join(header, "\", \""));
  if (n.empty()) throw input_error("", fmt::format("no column for N (model parameters): name it with --n; the columns are {}", known));
  if (d.empty() && c.empty())
    throw input_error("", fmt::format("no column for D (training tokens) or C (training FLOPs): name one with --d or --c; the columns are {}", known));
  if (loss.empty()) throw input_error("", fmt::format("no column for the loss: name it with --loss; the columns are {}", known));
  add("n", n);
  if (!d.empty()) add("d", d);
  if (!c.empty()) add("c", c);
  add("loss", loss);
  return roles;
}

// "file:line" of data row r, counting one line per record after the header (the table reader rejects
// blank lines between rows; a quoted field spanning lines would shift this).
std::string row_location(const io::NumericTable& table, std::size_t r) {
  if (table.format == io::TableFormat::npy) return fmt::format("{}: row {}", table.source, r);
  return fmt::format("{}:{}", table.source, r + (table.has_header ? 2 : 1));
}

const char* role_label(const std::string& role) {
  if (role == "n") return "N";
  if (role == "d") return "D";
  if (role == "c") return "C";
  return role == "loss" ? "loss" : role == "x" ? "x" : "y";
}

ScaleFitData embedded_data(ScaleModel model, std::uint64_t seed) {
  using namespace fit;
  const LawParams h = kHoffmann2022;
  ScaleFitData data;
  data.source = "embedded";
  data.embedded = true;
  const std::string law = "Hoffmann et al. (2022)'s law E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28";
  if (model == ScaleModel::chinchilla) {
    const SyntheticRuns runs = synthetic_isoflop_runs(h, seed, kEmbeddedNoise);
    data.n = runs.n, data.d = runs.d, data.loss = runs.loss;
    data.description = fmt::format(
        "no FILE: {} synthetic training runs (9 IsoFLOP budgets from 6e18 to 3e21 FLOPs x 15 model sizes) from {}, "
        "with 1% log-normal noise (seed {})",
        runs.n.size(), law, seed);
    data.columns = {{"n", "N"}, {"d", "D"}, {"loss", "loss"}};
  } else {
    const bool reducible = model == ScaleModel::power;
    const SyntheticCurve curve = synthetic_frontier(h, seed, kEmbeddedNoise, reducible);
    data.n = curve.x, data.loss = curve.y;
    data.description = fmt::format(
        "no FILE: {} synthetic points of {} along the compute-optimal frontier of {} (x = C from 1e18 to 1e24 FLOPs), with "
        "1% log-normal noise (seed {}); the true exponent is alpha beta / (alpha + beta) = {:.6g}",
        curve.x.size(), reducible ? "the reducible loss L - E" : "the loss L", law, seed,
        h.alpha * h.beta / (h.alpha + h.beta));
    data.columns = {{"x", "C"}, {"y", reducible ? "L - E" : "L"}};
  }
  data.rows = data.n.size();
  return data;
}

io::NumericTable read_table(const ScaleFitOptions& o, ScaleModel model, Roles& roles) {
  io::TableOptions table_options;
  table_options.format = io::parse_table_format(o.format);
  const io::TableFormat format = io::resolve_table_format(o.file, table_options.format);
  std::unique_ptr<std::istringstream> text;
  if (o.file == "-") {  // stdin is read once, then parsed twice (header, then data)
    text = std::make_unique<std::istringstream>(std::string(std::istreambuf_iterator<char>(std::cin), {}));
  }
  std::vector<std::string> header;
  if (format != io::TableFormat::npy) {
    const char separator = format == io::TableFormat::tsv ? '\t' : ',';
    auto reader = text ? std::make_unique<io::CsvReader>(*text, "<stdin>", separator)
                       : std::make_unique<io::CsvReader>(o.file, separator);
    header = header_names(*reader);
    if (text) text->clear(), text->seekg(0);
  }
  try {
    roles = choose_columns(o, model, header);
  } catch (const Error& e) {
    if (e.code() != ExitCode::bad_input) throw;
    throw input_error(o.file == "-" ? "<stdin>" : o.file, e.what());
  }
  table_options.columns = fmt::format("{}", fmt::join(roles.tokens, ","));
  table_options.format = format;
  return text ? io::read_numeric_table(*text, "<stdin>", table_options) : io::read_numeric_table(o.file, table_options);
}

}  // namespace

ScaleFitData load_scale_fit_data(const ScaleFitOptions& o, ScaleModel model, std::size_t parameters,
                                 std::uint64_t seed) {
  ScaleFitData data;
  std::vector<std::size_t> order;
  if (o.file.empty()) {
    data = embedded_data(model, seed);
  } else {
    Roles roles;
    const io::NumericTable table = read_table(o, model, roles);
    data.source = table.source;
    data.rows = table.rows;
    for (std::size_t k = 0; k < roles.names.size(); ++k) data.columns[roles.names[k]] = table.column_names[k];
    for (std::size_t r = 0; r < table.rows; ++r) {
      for (std::size_t k = 0; k < roles.names.size(); ++k) {
        if (table(r, k) > 0) continue;
        throw input_error(row_location(table, r),
                          fmt::format("{} = {} (column \"{}\") is not positive; a scaling-law fit takes its logarithm, "
                                      "fix or remove the row",
                                      role_label(roles.names[k]), table(r, k), table.column_names[k]));
      }
      data.n.push_back(table(r, 0));
      if (model == ScaleModel::chinchilla) {
        const double second = table(r, 1);
        data.d.push_back(roles.names[1] == "c" ? second / (6 * table(r, 0)) : second);
      }
      data.loss.push_back(table(r, roles.names.size() - 1));
    }
    data.d_from_compute = std::find(roles.names.begin(), roles.names.end(), "c") != roles.names.end();
  }

  if (o.drop_top_loss > 0) {
    if (o.drop_top_loss >= data.loss.size())
      throw input_error(data.source, fmt::format("--drop-top-loss {} drops every one of the {} rows, drop fewer",
                                                 o.drop_top_loss, data.loss.size()));
    // The K highest losses; among equal losses the earlier row goes first.
    std::vector<std::size_t> rank(data.loss.size());
    std::iota(rank.begin(), rank.end(), 0);
    std::stable_sort(rank.begin(), rank.end(), [&](std::size_t a, std::size_t b) { return data.loss[a] > data.loss[b]; });
    std::vector<bool> drop(data.loss.size(), false);
    for (std::size_t k = 0; k < o.drop_top_loss; ++k) drop[rank[k]] = true, data.dropped_losses.push_back(data.loss[rank[k]]);
    ScaleFitData kept = data;
    kept.n.clear(), kept.d.clear(), kept.loss.clear();
    for (std::size_t i = 0; i < drop.size(); ++i) {
      if (drop[i]) continue;
      kept.n.push_back(data.n[i]);
      if (!data.d.empty()) kept.d.push_back(data.d[i]);
      kept.loss.push_back(data.loss[i]);
    }
    data = std::move(kept);
  }
  if (data.loss.size() < parameters)
    throw input_error(data.source, fmt::format("{} rows{} are fewer than the {} parameters the {} model fits, give more "
                                               "rows (or --fix some parameters)",
                                               data.loss.size(), o.drop_top_loss ? " left after --drop-top-loss" : "",
                                               parameters, scale_model_name(model)));
  return data;
}

}  // namespace csc
